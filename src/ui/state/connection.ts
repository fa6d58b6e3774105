// Connection state shown in the top bar: the scanner's socket and offline queue report into these.
import { signal } from '@preact/signals';

export type ConnectionState = 'online' | 'reconnecting' | 'offline';

export const connection = signal<ConnectionState>(typeof navigator !== 'undefined' && !navigator.onLine ? 'offline' : 'online');
/** Scans waiting in the offline queue. */
export const pendingScans = signal(0);

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    if (connection.value === 'offline') connection.value = 'reconnecting';
  });
  window.addEventListener('offline', () => {
    connection.value = 'offline';
  });
}
