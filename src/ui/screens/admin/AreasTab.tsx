import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { ErrorBanner, fieldErrors } from '../../components/ErrorBanner';
import { areas, loadAreas } from '../../state/areas';

export function AreasTab() {
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const errors = fieldErrors(error, ['name']);
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      await api('/api/areas', { body: { name: name.trim() } });
      setDone(name.trim());
      setName('');
      await loadAreas(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h1>Dispatch areas</h1>
      <form class="card manual-entry" onSubmit={create}>
        <label class="field">
          New area name
          <input name="name" value={name} required minLength={2} maxLength={64} onInput={(e) => setName((e.target as HTMLInputElement).value)} aria-invalid={errors.name ? 'true' : undefined} />
          {errors.name && <span class="field-error">{errors.name}</span>}
        </label>
        <button type="submit" class="button button-primary">
          Add area
        </button>
      </form>
      <ErrorBanner error={errors.name ? null : error} />
      {done && <p class="banner banner-ok" role="status">✔ Area {done} added.</p>}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th class="num">Id</th>
              <th>Name</th>
            </tr>
          </thead>
          <tbody>
            {areas.value.map((a) => (
              <tr key={a.id}>
                <td class="num">{a.id}</td>
                <td>{a.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
