import { t } from '../i18n';
import { areas } from '../state/areas';

/** A labelled area picker; value '' means all areas (or none, with `noneLabel`). */
export function AreaSelect({
  value,
  onChange,
  label,
  allLabel,
  name = 'areaId',
}: {
  value: string;
  onChange: (value: string) => void;
  /** Defaults: "Area" and "All areas" in the user's language. */
  label?: string;
  allLabel?: string;
  name?: string;
}) {
  return (
    <label class="field">
      {label ?? t('area.label')}
      <select name={name} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{allLabel ?? t('area.all')}</option>
        {areas.value.map((a) => (
          <option key={a.id} value={String(a.id)}>
            {a.name}
          </option>
        ))}
      </select>
    </label>
  );
}
