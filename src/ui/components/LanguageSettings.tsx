// The user's language (English / हिन्दी) and the optional spoken count, for the Me page.
import { language, LANGUAGES, t, type Language } from '../i18n';
import { chooseLanguage, setSpokenCount, spokenCount } from '../i18n/preferences';
import { speechAvailable } from '../i18n/speech';

export function LanguageSettings({ userId }: { userId: number }) {
  return (
    <section class="card" aria-labelledby="language-title">
      <h2 id="language-title">{t('settings.title')}</h2>
      <label class="field">
        {t('language.label')}
        <select
          name="language"
          data-testid="language"
          value={language.value}
          onChange={(e) => void chooseLanguage(e.currentTarget.value as Language, userId)}
        >
          {LANGUAGES.map((lang) => (
            // Each language is named in its own script, so anyone can find theirs.
            <option key={lang} value={lang} lang={lang}>
              {t(`language.${lang}`)}
            </option>
          ))}
        </select>
      </label>
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
