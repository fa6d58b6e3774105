// Typing a label by hand, for damaged labels. Goes through the same path as a scan.
import { useState } from 'preact/hooks';
import { t } from '../../i18n';

export function ManualEntry({ onSubmit }: { onSubmit: (code: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="manual-entry"
      onSubmit={(event) => {
        event.preventDefault();
        const code = value.trim();
        if (!code) return;
        setValue('');
        onSubmit(code);
        // Back to the scanner input so the field does not keep focus.
        (document.querySelector('[data-testid="scan-input"]') as HTMLInputElement | null)?.focus();
      }}
    >
      <label class="field">
        <span>{t('scan.manual')}</span>
        <input name="manual" autoComplete="off" autoCapitalize="characters" spellcheck={false} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      <button type="submit" class="button">
        {t('scan.manualAdd')}
      </button>
    </form>
  );
}
