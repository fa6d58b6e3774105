// Usernames for "scanned by" filters. Only admins may list users; everyone else gets no options (and the
// screens show no such filter).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Page, UserRow } from '../api/types';

export function useUserOptions(enabled: boolean): Array<{ value: string; label: string }> {
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api<Page<UserRow>>('/api/users?limit=200')
      .then((p) => live && setOptions(p.items.map((u) => ({ value: String(u.id), label: u.username })).sort((a, b) => a.label.localeCompare(b.label))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [enabled]);
  return options;
}
