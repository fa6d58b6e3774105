// One bill, loaded by number and kept live: the bill's WebSocket (GET /api/bills/{billNo}/ws) sends its
// state and an event on every change made anywhere (another biller's scan, a finalize), and the screen
// reloads the bill then. Without the socket (older server, network trouble) the screen still reloads after
// each of its own actions, and the socket reconnects with backoff. The socket opens once the bill has been
// read: a bill number that does not exist gets its "not found" and no socket retrying a 404 handshake.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { Bill } from '../../api/types';
import { ReconnectingSocket } from '../../lib/reconnecting-socket';
import type { BillServerMessage } from '../../../shared/protocol';


export function useBill(billNo: string | undefined, live = true) {
  const [bill, setBill] = useState<Bill | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [connected, setConnected] = useState(false);
  /** The bill number this screen has read a bill for (the socket is for that one only). */
  const [found, setFound] = useState<string | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);

  const reload = useCallback(async () => {
    if (!billNo) return;
    try {
      const body = await api<{ bill: Bill }>(`/api/bills/${encodeURIComponent(billNo)}`);
      setBill(body.bill);
      setFound(billNo);
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

  // Opened without a network: read it again when the network comes back (the socket then follows).
  useEffect(() => {
    if (!billNo || found === billNo || typeof window === 'undefined') return;
    const again = () => void reload();
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, [billNo, found, reload]);

  useEffect(() => {
    if (!billNo || found !== billNo || !live || typeof WebSocket === 'undefined') return;
    const ws = new ReconnectingSocket(`/api/bills/${encodeURIComponent(billNo)}/ws`, {
      onOpen: () => setConnected(true),
      onDown: () => setConnected(false),
      onMessage: (raw) => {
        // The bill socket's messages as shared/protocol.ts types them (the server `satisfies` the same type);
        // still read defensively: a frame without a type is ignored.
        const msg = raw as Partial<BillServerMessage>;
        if (msg.type === 'state' && 'bill' in msg && msg.bill) setBill(msg.bill);
        else if (msg.type && msg.type !== 'error') {
          // Events carry counts, not the parents list: fetch the bill once, coalescing bursts.
          inFlight.current ??= reload().finally(() => (inFlight.current = null));
        }
      },
    });
    return () => ws.close();
  }, [billNo, found, live, reload]);

  return { bill, error, loading, reload, connected };
}
