import { errorText, t } from '../i18n';

/**
 * An API error in the chosen language (from its code, never the server's English sentence), red with an
 * icon, with the code for whoever is asked to help; nothing when there is no error. A plain string is a
 * message the screen already wrote in words.
 */
export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const coded = typeof error === 'object' && 'code' in error;
  return (
    <p class="banner banner-error" role="alert">
      <span aria-hidden="true">✖ </span>
      {typeof error === 'string' ? error : errorText(error)}
      {coded && <small class="error-code"> {t('error.code', { code: String((error as { code: unknown }).code) })}</small>}
    </p>
  );
}

export { fieldErrors } from '../lib/field-errors';
