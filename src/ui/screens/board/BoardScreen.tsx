// Live board (UI.md "Live board"): one tile per open parent of the area with live counts; nearly full and
// idle parents stand out; completed ones fade out after a minute. Everything arrives over the board socket.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Page, ScanRow, Stats } from '../../api/types';
import { filtersToQuery } from '../../lib/filters';
import { AreaSelect } from '../../components/AreaSelect';
import { useNow } from '../../components/useNow';
import { formatAge, formatNumber, setTimeZone } from '../../format';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { activeScanners, orderedTiles, scansPerMinute, tileLook, type Tile } from './board-state';
import { Sparkline } from './Sparkline';
import { useBoardSocket } from './useBoardSocket';
import '../screens.css';

function TileCard({ tile, now }: { tile: Tile; now: number }) {
  const look = tileLook(tile, now);
  const cls = ['tile', look.nearlyFull && 'tile-full', look.idle && 'tile-idle', look.completed && 'tile-done'].filter(Boolean).join(' ');
  return (
    <li class={cls} style={look.completed ? { opacity: String(1 - look.fade * 0.7) } : undefined} data-testid="board-tile" data-qr={tile.parentQr}>
      <div class="tile-head">
        <a class="tile-qr" href={`/lookup/${encodeURIComponent(tile.parentQr)}`}>
          {tile.parentQr}
        </a>
        {look.completed ? (
          <span class="chip chip-ok">✔ completed</span>
        ) : look.nearlyFull ? (
          <span class="chip chip-warn">▲ nearly full</span>
        ) : look.idle ? (
          <span class="chip chip-bad">◔ idle</span>
        ) : null}
      </div>
      <div class="tile-count" data-testid="tile-count">
        {tile.childCount} <small>/ {tile.capacity}</small>
      </div>
      <progress max={tile.capacity} value={tile.childCount} aria-label={`${tile.parentQr}: ${tile.childCount} of ${tile.capacity}`} />
      <div class="tile-meta">
        <span>{tile.by ?? '—'}</span>
        <span>{look.secondsSinceScan === null ? 'no scan yet' : `${formatAge(look.secondsSinceScan)} ago`}</span>
      </div>
    </li>
  );
}

/**
 * Rejected scans of the last hour, counted from one page of the scan history (at most 200; "200+" beyond).
 * Refreshed each minute: rejections are rare and the board socket does not carry them.
 */
function useRejectionsLastHour(areaId: string): { count: number; more: boolean } | null {
  const [value, setValue] = useState<{ count: number; more: boolean } | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => {
      const from = new Date(Date.now() - 3_600_000).toISOString();
      api<Page<ScanRow>>(`/api/scans${filtersToQuery({ result: 'rejected', from, areaId }, { limit: 200 })}`)
        .then((p) => live && setValue({ count: p.items.length, more: p.nextCursor !== null }))
        .catch(() => live && setValue(null));
    };
    load();
    const t = setInterval(load, 60_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [areaId]);
  return value;
}

function num(o: unknown, ...keys: string[]): number | undefined {
  if (!o || typeof o !== 'object') return undefined;
  for (const k of keys) {
    const v = (o as Record<string, unknown>)[k];
    if (typeof v === 'number') return v;
  }
  return undefined;
}

export default function BoardScreen() {
  const user = currentUser.value!;
  const pinned = user.role === 'supervisor';
  const [areaId, setAreaId] = useState(pinned ? String(user.areaId ?? '') : '');
  const { board, socket, error } = useBoardSocket(areaId);
  const now = useNow(1000);
  const [stats, setStats] = useState<Stats | null>(null);

  // Day totals (opened/completed today, rejections) come from the counters when the stats API has them.
  useEffect(() => {
    let live = true;
    api<Stats>(`/api/stats${areaId ? `?areaId=${areaId}` : ''}`)
      .then((s) => {
        if (!live) return;
        setTimeZone(s.timeZone);
        setStats(s);
      })
      .catch(() => live && setStats(null));
    return () => {
      live = false;
    };
  }, [areaId, board.completedSeen.size]);

  const rejected = useRejectionsLastHour(areaId);
  const tiles = orderedTiles(board, now);
  const rate = scansPerMinute(board, now);
  const scanners = activeScanners(board, now);
  const opened = num(stats, 'parentsOpenedToday', 'openedToday');
  const completed = num(stats, 'parentsCompletedToday', 'completedToday');
  const rejections = num(stats, 'rejectionsLastHour') ?? rejected?.count;

  return (
    <section>
      <div class="screen-head">
        <h1>Live board · {areaId ? areaName(Number(areaId)) : 'All areas'}</h1>
        <span class={`chip chip-${socket === 'live' ? 'ok' : 'warn'}`} role="status" data-testid="board-socket">
          {socket === 'live' ? '● live' : socket === 'connecting' ? '◌ connecting…' : socket === 'closed' ? '✕ closed' : '◌ reconnecting…'}
        </span>
      </div>
      {!pinned && <AreaSelect value={areaId} onChange={setAreaId} />}
      {error && <p class="banner banner-error" role="alert">✖ {error}</p>}
      <div class="kpis kpis-strip">
        <div class="kpi">
          <span class="kpi-label">Scans / min</span>
          <span class="kpi-value">{formatNumber(rate[rate.length - 1] ?? 0)}</span>
          <Sparkline values={rate} label={`Scans per minute, last ${rate.length} minutes: ${rate.join(', ')}`} />
        </div>
        <div class="kpi">
          <span class="kpi-label">Active scanners</span>
          <span class="kpi-value">{scanners.length}</span>
          <span class="kpi-note">{scanners.slice(0, 4).join(', ')}</span>
        </div>
        <div class="kpi">
          <span class="kpi-label">Opened today</span>
          <span class="kpi-value">{formatNumber(opened ?? board.openedSeen.size)}</span>
          {opened === undefined && <span class="kpi-note">since this page opened</span>}
        </div>
        <div class="kpi">
          <span class="kpi-label">Completed today</span>
          <span class="kpi-value">{formatNumber(completed ?? board.completedSeen.size)}</span>
          {completed === undefined && <span class="kpi-note">since this page opened</span>}
        </div>
        {rejections !== undefined && (
          <div class="kpi">
            <span class="kpi-label">Rejections (1 h)</span>
            <span class="kpi-value">
              {formatNumber(rejections)}
              {rejected?.more ? '+' : ''}
            </span>
            <a class="kpi-note" href={`/history?result=rejected${areaId ? `&areaId=${areaId}` : ''}`}>
              Show them
            </a>
          </div>
        )}
      </div>
      {tiles.length === 0 ? (
        <p class="banner banner-info">ℹ No open parents {socket === 'live' ? 'in this area right now.' : 'yet: connecting…'}</p>
      ) : (
        <ul class="tiles" aria-live="polite" aria-relevant="additions removals">
          {tiles.map((t) => (
            <TileCard key={t.parentQr} tile={t} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}
