// ALLOWED_ORIGINS parsing (pure, cached per setting value).
import { log } from '../../observability/log';

const parsedOrigins = new Map<string, Set<string>>();

/** ALLOWED_ORIGINS, normalised to scheme://host[:port]; invalid entries are ignored. */
export function allowedOrigins(list: string): Set<string> {
  let set = parsedOrigins.get(list);
  if (!set) {
    set = new Set();
    for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      try {
        set.add(new URL(item).origin);
      } catch {
        log.error('ALLOWED_ORIGINS: ignoring an entry that is not a URL', { entry: item });
      }
    }
    parsedOrigins.set(list, set);
  }
  return set;
}
