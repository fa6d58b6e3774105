// Connection state shown in the top bar: the scanner's socket and offline queue report into these.
import { signal } from '@preact/signals';

export type ConnectionState = 'online' | 'reconnecting' | 'offline';

export const connection = signal<ConnectionState>(typeof navigator !== 'undefined' && !navigator.onLine ? 'offline' : 'online');
/** Scans waiting in the offline queue. */
export const pendingScans = signal(0);

if (typeof window !== 'undefined') {
  // The browser has a network again; the scanner's socket says 'reconnecting' if it still cannot get through.
  window.addEventListener('online', () => {
    if (connection.value === 'offline') connection.value = 'online';
  });
  window.addEventListener('offline', () => {
    connection.value = 'offline';
  });
}
