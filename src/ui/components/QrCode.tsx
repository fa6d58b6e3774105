// A QR code as inline SVG. The encoder is a lazy chunk so only screens that draw one (print, TOTP setup)
// download it.
import { useEffect, useState } from 'preact/hooks';

export function QrCode({ value, size = 160, label }: { value: string; size?: number; label: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('uqr').then(({ renderSVG }) => {
      if (live) setSvg(renderSVG(value, { border: 2 }));
    });
    return () => {
      live = false;
    };
  }, [value]);
  return (
    <div
      class="qr"
      role="img"
      aria-label={label}
      style={{ width: `${size}px`, height: `${size}px` }}
      // uqr produces a plain <svg> of rects from our own value: no user markup passes through.
      dangerouslySetInnerHTML={svg ? { __html: svg } : undefined}
    />
  );
}
