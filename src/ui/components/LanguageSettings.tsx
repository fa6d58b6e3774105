// The user's language (English / हिन्दी) and the optional spoken count, for the Me page. The language is
// shown at once and saved on the server (it follows the user to every device); the page says whether it was.
import { useState } from 'preact/hooks';
import { language, LANGUAGES, t, type Language } from '../i18n';
import { chooseLanguage, setSpokenCount, spokenCount } from '../i18n/preferences';
import { speechAvailable } from '../i18n/speech';
import { saveLanguage } from '../state/session';

export function LanguageSettings({ userId }: { userId: number }) {
  const [saved, setSaved] = useState<'saving' | 'saved' | 'failed' | null>(null);
  const choose = async (lang: Language) => {
    setSaved('saving');
    await chooseLanguage(lang, userId);
    try {
      await saveLanguage(lang);
      setSaved('saved');
    } catch {
      // Offline or the server failed: this device keeps the choice and sends it at the next sign-in.
      setSaved('failed');
    }
  };
  return (
    <section class="card" aria-labelledby="language-title">
      <h2 id="language-title">{t('settings.title')}</h2>
      <label class="field">
        {t('language.label')}
        <select
          name="language"
          data-testid="language"
          value={language.value}
          onChange={(e) => void choose(e.currentTarget.value as Language)}
        >
          {LANGUAGES.map((lang) => (
            // Each language is named in its own script, so anyone can find theirs.
            <option key={lang} value={lang} lang={lang}>
              {t(`language.${lang}`)}
            </option>
          ))}
        </select>
      </label>
      <p class="muted language-saved" role="status" data-testid="language-saved">
        {saved === 'saving' ? t('language.saving') : saved === 'saved' ? t('language.saved') : saved === 'failed' ? t('language.notSaved') : ''}
      </p>
      <label class="check">
        <input
          type="checkbox"
          name="spoken-count"
          checked={spokenCount.value}
          disabled={!speechAvailable()}
          onChange={(e) => setSpokenCount(userId, e.currentTarget.checked)}
        />
        <span>
          {t('speech.label')}
          <small class="muted"> {speechAvailable() ? t('speech.hint') : t('speech.unavailable')}</small>
        </span>
      </label>
    </section>
  );
}
