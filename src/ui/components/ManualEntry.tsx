// A visible field for codes typed by hand (damaged labels, no scanner): Enter or the button submits.
import { useState } from 'preact/hooks';

export function ManualEntry({
  label,
  action,
  onSubmit,
  disabled,
  initial = '',
  name = 'code',
}: {
  label: string;
  action: string;
  onSubmit: (code: string) => void;
  disabled?: boolean;
  initial?: string;
  name?: string;
}) {
  const [value, setValue] = useState(initial);
  return (
    <form
      class="manual-entry"
      onSubmit={(e) => {
        e.preventDefault();
        const code = value.trim().toUpperCase();
        if (code) onSubmit(code);
        setValue('');
      }}
    >
      <label class="field">
        {label}
        <input
          name={name}
          value={value}
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          disabled={disabled}
        />
      </label>
      <button type="submit" class="button button-primary" disabled={disabled || !value.trim()}>
        {action}
      </button>
    </form>
  );
}
