// The shape of a list screen with a create form (bills, return tickets): the heading with a New / Close
// button for the roles that may create, the form under it, status chips and a search box over a keyset-paged
// table. One component, so the two screens cannot drift apart in layout, debounce or paging.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { filtersToQuery } from '../lib/filters';
import { LoadMore } from './LoadMore';
import { StackTable, type Column } from './StackTable';
import { useDebounced } from './useDebounced';
import { usePagedList } from './usePagedList';

export interface StatusChoice {
  value: string;
  label: string;
  /** What the chip asks the list route for. */
  query: Record<string, string>;
}

export interface ListCreateScreenProps<T> {
  title: string;
  intro?: string;
  /** Absent for roles that may not create. */
  create?: { open: string; close: string; form: () => ComponentChildren };
  statuses: readonly StatusChoice[];
  statusesLabel: string;
  search: { label: string; placeholder: string };
  path: string;
  columns: Array<Column<T>>;
  rowKey: (row: T) => string;
  testId: string;
  /** Said when the list is loaded and empty. */
  empty?: string;
}

export function ListCreateScreen<T>({ title, intro, create, statuses, statusesLabel, search, path, columns, rowKey, testId, empty }: ListCreateScreenProps<T>) {
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const list = usePagedList<T>(path, filtersToQuery({ ...statuses.find((s) => s.value === status)?.query, q: useDebounced(q) }));

  return (
    <section>
      <div class="screen-head">
        <h1>{title}</h1>
        {create && (
          <button type="button" class="button button-primary" onClick={() => setCreating(!creating)} aria-expanded={creating}>
            {creating ? create.close : create.open}
          </button>
        )}
      </div>
      {intro && <p class="muted">{intro}</p>}
      {create && creating && create.form()}
      <div class="filters">
        <div class="chips" role="group" aria-label={statusesLabel}>
          {statuses.map((s) => (
            <button key={s.value} type="button" class="button chip-button" aria-pressed={status === s.value} onClick={() => setStatus(s.value)}>
              {s.label}
            </button>
          ))}
        </div>
        <label class="field">
          {search.label}
          <input type="search" value={q} placeholder={search.placeholder} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <StackTable columns={columns} rows={list.items} rowKey={rowKey} testId={testId} />
      {empty && !list.loading && !list.error && list.items.length === 0 && <p class="banner banner-info">ℹ {empty}</p>}
      <LoadMore list={list} />
    </section>
  );
}
