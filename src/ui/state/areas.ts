// Dispatch areas change rarely: fetched once per page load and shared by every screen that names them. The
// last list is kept on the device, so a reload without a network (the service worker's app shell) still
// names the area in the top bar and on the screens instead of "…" or "Area 1"; a load that failed is tried
// again when the network comes back.
import { signal } from '@preact/signals';
import { api } from '../api/client';
import type { Area, Page } from '../api/types';
import { t } from '../i18n';

const STORE_KEY = 'tracetrack.areas';
// Through globalThis: plain Node tests load this module too (no DOM there).
const web = globalThis as { localStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void }; addEventListener?: (type: string, fn: () => void) => void };

function stored(): Area[] {
  try {
    const list = JSON.parse(web.localStorage?.getItem(STORE_KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((a): a is Area => typeof a?.id === 'number' && typeof a?.name === 'string') : [];
  } catch {
    return [];
  }
}

export const areas = signal<Area[]>(stored());
let loading: Promise<void> | null = null;
let failed = false;

export function loadAreas(force = false): Promise<void> {
  if (!loading || force) {
    loading = api<Page<Area>>('/api/areas')
      .then((body) => {
        failed = false;
        areas.value = body.items;
        try {
          web.localStorage?.setItem(STORE_KEY, JSON.stringify(body.items));
        } catch {
          // Storage full or private mode: the names are then only this page's.
        }
      })
      .catch(() => {
        failed = true;
        loading = null;
      });
  }
  return loading;
}

web.addEventListener?.('online', () => {
  if (failed) void loadAreas();
});

export function areaName(id: number | null | undefined): string {
  if (id == null) return t('area.all');
  return areas.value.find((a) => a.id === id)?.name ?? t('area.unknown', { id });
}
