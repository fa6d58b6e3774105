// Scans that could not reach the server, kept in IndexedDB so they survive a reload, in scan order
// (auto-increment key). Each keeps the scanId it was made with: replaying it is safe because the server
// answers a repeated scanId with its first answer. Rejections found on replay are kept too, until the
// operator dismisses them: nothing is silently dropped.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { pendingScans } from '../state/connection';

export interface QueuedScan {
  seq?: number;
  scanId: string;
  parentQr: string;
  qr: string;
  /** When it was scanned (ISO), shown to the operator. */
  at: string;
  /** Whose scan it is; another user signing in on this device must not replay it as theirs. */
  userId: number;
  /** Their username, shown beside the waiting child. */
  by?: string;
}

export interface ReplayRejection extends QueuedScan {
  /** The server's error code: the words are the catalog's, in the language on screen. */
  code: string;
  /** Refused as a child of its parent, or because the parent itself could not be opened. */
  as?: 'parent' | 'child';
  /** The error's details (e.g. the other parent), for the words. */
  details?: Record<string, unknown>;
  /** Words stored by earlier versions of the app. */
  reason?: string;
}

interface ScannerDb extends DBSchema {
  queue: { key: number; value: QueuedScan };
  rejected: { key: number; value: ReplayRejection };
}

let dbPromise: Promise<IDBPDatabase<ScannerDb>> | null = null;

function db(): Promise<IDBPDatabase<ScannerDb>> {
  dbPromise ??= openDB<ScannerDb>('tracetrack-scanner', 1, {
    upgrade(database) {
      database.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      database.createObjectStore('rejected', { keyPath: 'seq' });
    },
  });
  return dbPromise;
}

async function refreshCount(userId: number): Promise<void> {
  pendingScans.value = (await queued(userId)).length;
}

export async function enqueue(scan: QueuedScan): Promise<void> {
  await (await db()).add('queue', scan);
  await refreshCount(scan.userId);
}

/** This user's queued scans, oldest first. */
export async function queued(userId: number): Promise<QueuedScan[]> {
  return (await (await db()).getAll('queue')).filter((s) => s.userId === userId);
}

export async function countQueued(userId: number): Promise<number> {
  await refreshCount(userId);
  return pendingScans.value;
}

export async function dequeue(scan: QueuedScan): Promise<void> {
  await (await db()).delete('queue', scan.seq!);
  await refreshCount(scan.userId);
}

/** Moves a scan from the queue to the rejections in one transaction, so it is never in neither. */
export async function moveToRejected(scan: QueuedScan, code: string, as: 'parent' | 'child', details?: Record<string, unknown>): Promise<void> {
  const tx = (await db()).transaction(['queue', 'rejected'], 'readwrite');
  await Promise.all([tx.objectStore('rejected').put({ ...scan, code, as, details }), tx.objectStore('queue').delete(scan.seq!), tx.done]);
  await refreshCount(scan.userId);
}

/** Takes a waiting scan back off the queue (Undo before it was sent); false when it is no longer there. */
export async function removeQueued(userId: number, scanId: string): Promise<boolean> {
  const scan = (await queued(userId)).find((s) => s.scanId === scanId);
  if (!scan) return false;
  await dequeue(scan);
  return true;
}

export async function rejections(userId: number): Promise<ReplayRejection[]> {
  return (await (await db()).getAll('rejected')).filter((r) => r.userId === userId);
}

export async function dismissRejection(seq: number): Promise<void> {
  await (await db()).delete('rejected', seq);
}
