// Dispatch areas change rarely: fetched once per page load and shared by every screen that names them.
import { signal } from '@preact/signals';
import { api } from '../api/client';
import type { Area, Page } from '../api/types';
import { t } from '../i18n';

export const areas = signal<Area[]>([]);
let loading: Promise<void> | null = null;

export function loadAreas(force = false): Promise<void> {
  if (!loading || force) {
    loading = api<Page<Area>>('/api/areas')
      .then((body) => {
        areas.value = body.items;
      })
      .catch(() => {
        loading = null;
      });
  }
  return loading;
}

export function areaName(id: number | null | undefined): string {
  if (id == null) return t('area.all');
  return areas.value.find((a) => a.id === id)?.name ?? t('area.unknown', { id });
}
