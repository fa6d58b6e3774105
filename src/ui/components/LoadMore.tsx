import type { PagedList } from './usePagedList';
import { ErrorBanner } from './ErrorBanner';

/** Footer of a paged list: error, "Load more", or the end of the list. */
export function LoadMore<T>({ list, noun }: { list: PagedList<T>; noun: string }) {
  return (
    <div class="list-footer">
      <ErrorBanner error={list.error} />
      {list.hasMore ? (
        <button type="button" class="button" disabled={list.loading} onClick={list.loadMore}>
          {list.loading ? 'Loading…' : 'Load more'}
        </button>
      ) : list.loading ? (
        <p class="muted">Loading…</p>
      ) : (
        <p class="muted">
          {list.items.length === 0 ? `No ${noun} match.` : list.items.length === 1 ? 'The only match is shown.' : `All ${list.items.length.toLocaleString()} ${noun} shown.`}
        </p>
      )}
    </div>
  );
}
