/** A QR that opens its lookup. */
export function QrLink({ qr }: { qr: string | null | undefined }) {
  if (!qr) return <span class="muted">—</span>;
  return <a href={`/lookup/${encodeURIComponent(qr)}`}>{qr}</a>;
}
