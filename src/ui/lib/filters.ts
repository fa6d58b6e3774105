// Filter forms ↔ API query strings. The list screens, their "Load more" and their CSV export links all go
// through here, so an export always carries exactly the filters the list shows.
export type FilterValues = Record<string, string>;

/** The query string of a list request: empty values dropped, keys sorted for stable URLs. */
export function filtersToQuery(filters: FilterValues, extra: Record<string, string | number | null | undefined> = {}): string {
  const search = new URLSearchParams();
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) if (v != null && v.trim() !== '') all[k] = v.trim();
  for (const [k, v] of Object.entries(extra)) if (v != null && v !== '') all[k] = String(v);
  for (const k of Object.keys(all).sort()) search.set(k, all[k]!);
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** The filters a URL carries (so a filtered list can be bookmarked and shared). Unknown keys are ignored. */
export function filtersFromSearch(search: string | Record<string, string | undefined>, keys: readonly string[]): FilterValues {
  const params = typeof search === 'string' ? new URLSearchParams(search) : null;
  const out: FilterValues = {};
  for (const k of keys) {
    const v = params ? params.get(k) : (search as Record<string, string | undefined>)[k];
    out[k] = v ?? '';
  }
  return out;
}

/** The CSV export link for a list's filters (no paging: the export streams everything that matches). */
export function exportHref(path: string, filters: FilterValues): string {
  return `${path}${filtersToQuery(filters)}`;
}
