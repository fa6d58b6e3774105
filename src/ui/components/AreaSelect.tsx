import { areas } from '../state/areas';

/** A labelled area picker; value '' means all areas (or none, with `noneLabel`). */
export function AreaSelect({
  value,
  onChange,
  label = 'Area',
  allLabel = 'All areas',
  name = 'areaId',
}: {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  allLabel?: string;
  name?: string;
}) {
  return (
    <label class="field">
      {label}
      <select name={name} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{allLabel}</option>
        {areas.value.map((a) => (
          <option key={a.id} value={String(a.id)}>
            {a.name}
          </option>
        ))}
      </select>
    </label>
  );
}
