import { ApiError } from '../api/client';

/** An API error in words, red with an icon; nothing when there is no error. */
export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <p class="banner banner-error" role="alert">
      <span aria-hidden="true">✖ </span>
      {message}
    </p>
  );
}

export { fieldErrors } from '../lib/field-errors';
