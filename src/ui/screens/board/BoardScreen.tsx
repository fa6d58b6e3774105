// Live board (UI.md "Live board"): one tile per open parent of the area with live counts; nearly full and
// idle parents stand out; completed ones fade out after a minute. Tiles arrive over the board socket; the
// day's figures come from the server's counters. On phones the tiles come first; /board/wall is the same
// board with large tiles and no app chrome, for a screen above the floor.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { AreaSelect } from '../../components/AreaSelect';
import { useNow } from '../../components/useNow';
import { formatAge, formatNumber, formatTime } from '../../format';
import { Icon } from '../../shell/icons';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { activeScanners, orderedTiles, scansPerMinute, tileLook, type Tile } from './board-state';
import { Sparkline } from './Sparkline';
import { useBoardSocket, type SocketState } from './useBoardSocket';
import { useDayFigures } from './useDayFigures';
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

function SocketChip({ socket }: { socket: SocketState }) {
  return (
    <span class={`chip chip-${socket === 'live' ? 'ok' : socket === 'closed' ? 'bad' : 'warn'}`} role="status" data-testid="board-socket">
      {socket === 'live' ? '● live' : socket === 'connecting' ? '◌ connecting…' : socket === 'closed' ? '✕ closed' : '◌ reconnecting…'}
    </span>
  );
}

/** The area shown: a supervisor's own; otherwise the one in the URL (?areaId=), so a wall screen can be bookmarked. */
function useBoardArea(): [string, (id: string) => void, boolean] {
  const user = currentUser.value!;
  const { query, path } = useLocation();
  const pinned = user.role === 'supervisor';
  const [areaId, setAreaId] = useState(pinned ? String(user.areaId ?? '') : (query.areaId ?? ''));
  const choose = (id: string) => {
    setAreaId(id);
    history.replaceState(null, '', id ? `${path}?areaId=${encodeURIComponent(id)}` : path);
  };
  return [areaId, choose, pinned];
}

export default function BoardScreen() {
  const { path } = useLocation();
  const wall = path === '/board/wall';
  const [areaId, setAreaId, pinned] = useBoardArea();
  const { board, socket, error } = useBoardSocket(areaId);
  const now = useNow(1000);
  const { stats, failed } = useDayFigures(areaId, board.events);

  useEffect(() => {
    document.documentElement.classList.toggle('wall-display', wall);
    return () => document.documentElement.classList.remove('wall-display');
  }, [wall]);

  const tiles = orderedTiles(board, now);
  const rate = scansPerMinute(board, now);
  const scanners = activeScanners(board, now);
  const place = areaId ? areaName(Number(areaId)) : 'All areas';
  const wallHref = `/board/wall${areaId && !pinned ? `?areaId=${encodeURIComponent(areaId)}` : ''}`;
  const boardHref = `/board${areaId && !pinned ? `?areaId=${encodeURIComponent(areaId)}` : ''}`;
  const figure = (v: number | undefined) => (v === undefined ? '—' : formatNumber(v));

  return (
    <section class={wall ? 'board board-wall' : 'board'}>
      <div class="screen-head board-head">
        <h1>
          {wall ? '' : 'Live board · '}
          {place}
        </h1>
        <div class="actions board-actions">
          {wall && <span class="wall-clock">{formatTime(now)}</span>}
          <SocketChip socket={socket} />
          {wall ? (
            <>
              <button type="button" class="button" onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>
                Full screen
              </button>
              <a class="button" href={boardHref}>
                Leave wall display
              </a>
            </>
          ) : (
            <a class="button" href={wallHref} data-testid="wall-link">
              <Icon name="wall" size={20} /> Wall display
            </a>
          )}
        </div>
      </div>
      {!pinned && !wall && <AreaSelect value={areaId} onChange={setAreaId} />}
      {error && <p class="banner banner-error" role="alert">✖ {error}</p>}
      <div class="board-body">
        {tiles.length === 0 ? (
          <p class="banner banner-info board-empty">ℹ No open parents {socket === 'live' ? 'in this area right now.' : 'yet: connecting…'}</p>
        ) : (
          <ul class="tiles" aria-live="polite" aria-relevant="additions removals" aria-label="Open parents">
            {tiles.map((t) => (
              <TileCard key={t.parentQr} tile={t} now={now} />
            ))}
          </ul>
        )}
        <div class="kpis kpis-strip" data-testid="board-kpis" aria-label="Today on the floor">
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
          <div class="kpi" data-testid="kpi-opened">
            <span class="kpi-label">Opened today</span>
            <span class="kpi-value">{figure(stats?.parentsOpenedToday)}</span>
          </div>
          <div class="kpi" data-testid="kpi-completed">
            <span class="kpi-label">Completed today</span>
            <span class="kpi-value">{figure(stats?.parentsCompletedToday)}</span>
          </div>
          <div class="kpi" data-testid="kpi-rejected">
            <span class="kpi-label">Rejections (1 h)</span>
            <span class="kpi-value">{figure(stats?.rejectedLastHour)}</span>
            {!wall && (
              <a class="kpi-note" href={`/history?result=rejected${areaId ? `&areaId=${areaId}` : ''}`}>
                Show them
              </a>
            )}
          </div>
        </div>
        {failed && <p class="muted board-stale">The day's figures could not be read just now; they show the last known values.</p>}
      </div>
    </section>
  );
}
