// One bill, loaded by number and reloaded after every change (there is no bill WebSocket in API.md).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { Bill } from '../../api/types';

export function useBill(billNo: string | undefined) {
  const [bill, setBill] = useState<Bill | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    if (!billNo) return;
    try {
      const body = await api<{ bill: Bill }>(`/api/bills/${encodeURIComponent(billNo)}`);
      setBill(body.bill);
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)));
    } finally {
      setLoading(false);
    }
  }, [billNo]);
  useEffect(() => {
    setLoading(true);
    setBill(null);
    void reload();
  }, [reload]);
  return { bill, error, loading, reload };
}
