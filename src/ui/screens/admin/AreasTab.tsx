import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import { ErrorBanner, fieldErrors } from '../../components/ErrorBanner';
import { t } from '../../i18n';
import { areas, loadAreas } from '../../state/areas';

export function AreasTab() {
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  // A refused name (too short, too long, or one that exists in any letter case) is said in our words.
  const bad = !!fieldErrors(error, ['name']).name || (error instanceof ApiError && error.code === 'CONFLICT');
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
      <h1>{t('areas.title')}</h1>
      <form class="card manual-entry" onSubmit={create}>
        <label class="field">
          {t('areas.name')}
          <input name="name" value={name} required minLength={2} maxLength={64} onInput={(e) => setName((e.target as HTMLInputElement).value)} aria-invalid={bad ? 'true' : undefined} />
          {bad && <span class="field-error">{t('areas.nameRule')}</span>}
        </label>
        <button type="submit" class="button button-primary">
          {t('areas.add')}
        </button>
      </form>
      <ErrorBanner error={bad ? null : error} />
      {done && (
        <p class="banner banner-ok" role="status">
          ✔ {t('areas.added', { name: done })}
        </p>
      )}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th class="num" scope="col">
                {t('areas.id')}
              </th>
              <th scope="col">{t('areas.column')}</th>
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
