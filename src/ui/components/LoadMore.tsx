import type { PagedList } from './usePagedList';
import { ErrorBanner } from './ErrorBanner';
import { t } from '../i18n';

/** Footer of a paged list: error, "Load more", or the end of the list. */
export function LoadMore<T>({ list }: { list: PagedList<T> }) {
  return (
    <div class="list-footer">
      <ErrorBanner error={list.error} />
      {list.hasMore ? (
        <button type="button" class="button" disabled={list.loading} onClick={list.loadMore}>
          {list.loading ? t('common.loading') : t('common.loadMore')}
        </button>
      ) : list.loading ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <p class="muted">
          {list.items.length === 0 ? t('common.none') : list.items.length === 1 ? t('common.onlyOne') : t('common.allShown', { count: list.items.length })}
        </p>
      )}
    </div>
  );
}
