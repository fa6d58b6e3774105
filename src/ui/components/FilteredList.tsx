// A filtered, keyset-paged list with a CSV export of the same filters. The filters live in the URL, so a
// filtered list can be bookmarked or sent to a colleague. Used by History, Bags and the audit log.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { exportHref, filtersToQuery, type FilterValues } from '../lib/filters';
import { t } from '../i18n';
import { areas } from '../state/areas';
import { LoadMore } from './LoadMore';
import { StackTable, type Column } from './StackTable';
import { useDebounced } from './useDebounced';
import { usePagedList } from './usePagedList';

export type FilterDef =
  | { key: string; label: string; kind: 'text'; placeholder?: string }
  | { key: string; label: string; kind: 'date' }
  | { key: string; label: string; kind: 'area' }
  | { key: string; label: string; kind: 'select'; options: Array<{ value: string; label: string }> };

export type { Column } from './StackTable';

export interface FilteredListProps<T> {
  title: string;
  path: string;
  exportPath?: string;
  filters: FilterDef[];
  /** Filters fixed by the screen (e.g. "only my scans"), sent but not shown. */
  fixed?: FilterValues;
  columns: Array<Column<T>>;
  rowKey: (row: T, index: number) => string;
  children?: ComponentChildren;
}

export function FilteredList<T>({ title, path, exportPath, filters, fixed = {}, columns, rowKey, children }: FilteredListProps<T>) {
  const { query, path: here } = useLocation();
  const [values, setValues] = useState<FilterValues>(() => Object.fromEntries(filters.map((f) => [f.key, query[f.key] ?? ''])));
  // Filters that appear later (options loaded after mount) still pick up their value from the URL.
  useEffect(() => {
    const missing = filters.filter((f) => !(f.key in values) && query[f.key]);
    if (missing.length) setValues({ ...values, ...Object.fromEntries(missing.map((f) => [f.key, query[f.key]!])) });
  }, [filters.length]);
  const settled = useDebounced(values, 350);
  const all = { ...settled, ...fixed };
  const list = usePagedList<T>(path, filtersToQuery(all));

  useEffect(() => {
    const qs = filtersToQuery(settled);
    if (`${location.pathname}${location.search}` !== `${here}${qs}`) history.replaceState(null, '', `${here}${qs}`);
  }, [settled, here]);

  const set = (key: string) => (e: Event) => setValues({ ...values, [key]: (e.target as HTMLInputElement | HTMLSelectElement).value });
  const active = Object.values(values).some((v) => v !== '');

  return (
    <section>
      <div class="screen-head">
        <h1>{title}</h1>
        {exportPath && (
          <a class="button" href={exportHref(exportPath, all)} download data-testid="export-csv">
            {t('common.exportCsv')}
          </a>
        )}
      </div>
      {children}
      <form class="filters" aria-label={t('common.filters', { title })} onSubmit={(e) => e.preventDefault()}>
        {filters.map((f) => (
          <label class="field" key={f.key}>
            {f.label}
            {f.kind === 'text' ? (
              <input type="search" name={f.key} value={values[f.key] ?? query[f.key] ?? ''} placeholder={f.placeholder} onInput={set(f.key)} autoComplete="off" />
            ) : f.kind === 'date' ? (
              <input type="date" name={f.key} value={values[f.key] ?? query[f.key] ?? ''} onInput={set(f.key)} />
            ) : (
              <select name={f.key} value={values[f.key] ?? query[f.key] ?? ''} onChange={set(f.key)}>
                <option value="">{t('common.any')}</option>
                {(f.kind === 'area' ? areas.value.map((a) => ({ value: String(a.id), label: a.name })) : f.options).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </label>
        ))}
        {active && (
          <button type="button" class="button" onClick={() => setValues(Object.fromEntries(filters.map((f) => [f.key, ''])))}>
            {t('common.clearFilters')}
          </button>
        )}
      </form>
      <StackTable columns={columns} rows={list.items} rowKey={rowKey} />
      <LoadMore list={list} />
    </section>
  );
}
