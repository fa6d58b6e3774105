// A keyset-paged list ({items, nextCursor}): the first page loads whenever the query changes, "Load more"
// appends the next one. Answers to an outdated query are dropped, so fast filter changes cannot mix lists.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Page } from '../api/types';

export interface PagedList<T> {
  items: T[];
  loading: boolean;
  error: ApiError | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

export function usePagedList<T>(path: string, queryString: string, enabled = true): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);
  const [reloads, setReloads] = useState(0);

  const fetchPage = useCallback(
    async (after: string | null, gen: number) => {
      setLoading(true);
      setError(null);
      const sep = queryString ? '&' : '?';
      const url = `${path}${queryString}${after ? `${sep}cursor=${encodeURIComponent(after)}` : ''}`;
      try {
        const page = await api<Page<T>>(url);
        if (gen !== generation.current) return;
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor ?? null);
      } catch (err) {
        if (gen !== generation.current) return;
        setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)));
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [path, queryString],
  );

  useEffect(() => {
    if (!enabled) return;
    const gen = ++generation.current;
    setItems([]);
    setCursor(null);
    void fetchPage(null, gen);
  }, [fetchPage, enabled, reloads]);

  return {
    items,
    loading,
    error,
    hasMore: cursor !== null,
    loadMore: () => {
      if (cursor && !loading) void fetchPage(cursor, generation.current);
    },
    reload: () => setReloads((n) => n + 1),
  };
}
