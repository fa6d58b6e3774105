import { ErrorBanner } from './ErrorBanner';

/**
 * The end of a create form: the error of the last try (null while a field shows its own), then the one submit
 * button, which says it is busy and cannot be pressed twice while the request runs.
 */
export function SubmitRow({ error, busy, label, busyLabel }: { error: unknown; busy: boolean; label: string; busyLabel: string }) {
  return (
    <>
      <ErrorBanner error={error} />
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? busyLabel : label}
        </button>
      </div>
    </>
  );
}
