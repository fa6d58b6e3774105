// Live board (UI.md "Live board"): one tile per open parent of the area with live counts; nearly full and
// idle parents stand out; completed ones fade out after a minute. Tiles arrive over the board socket; the
// day's figures come from the server's counters. On phones the tiles come first; /board/wall is the same
// board with large tiles and no app chrome, for a screen above the floor.
import { ConflictsPanel } from '../../components/ConflictsPanel';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { AreaSelect } from '../../components/AreaSelect';
import { useNow } from '../../components/useNow';
import { formatNumber, formatTime } from '../../format';
import { t } from '../../i18n';
import { Icon } from '../../shell/icons';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { activeScanners, orderedTiles, scansPerMinute, tileLook, type Tile } from './board-state';
import { Sparkline } from './Sparkline';
import { useBoardSocket, type SocketState } from './useBoardSocket';
import { useDayFigures } from './useDayFigures';
import '../screens.css';

/** "8 s ago", "4 min ago", "2 h ago" in the user's language. */
function ago(seconds: number | null): string {
  if (seconds === null) return t('board.noScan');
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return t('board.agoSeconds', { n: s });
  if (s < 3600) return t('board.agoMinutes', { n: Math.floor(s / 60) });
  return t('board.agoHours', { n: Math.floor(s / 3600) });
}

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
          <span class="chip chip-ok">{t('board.tileCompleted')}</span>
        ) : look.nearlyFull ? (
          <span class="chip chip-warn">{t('board.tileFull')}</span>
        ) : look.idle ? (
          <span class="chip chip-bad">{t('board.tileIdle')}</span>
        ) : null}
      </div>
      <div class="tile-count" data-testid="tile-count">
        {tile.childCount} <small>/ {tile.capacity}</small>
      </div>
      <progress max={tile.capacity} value={tile.childCount} aria-label={t('board.tileProgress', { qr: tile.parentQr, count: tile.childCount, capacity: tile.capacity })} />
      <div class="tile-meta">
        <span>{tile.by ?? '—'}</span>
        <span>{ago(look.secondsSinceScan)}</span>
      </div>
    </li>
  );
}

function SocketChip({ socket }: { socket: SocketState }) {
  return (
    <span class={`chip chip-${socket === 'live' ? 'ok' : socket === 'closed' ? 'bad' : 'warn'}`} role="status" data-testid="board-socket">
      {socket === 'live' ? t('board.live') : socket === 'connecting' ? t('board.connecting') : socket === 'closed' ? t('board.closed') : t('board.reconnecting')}
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
  const place = areaId ? areaName(Number(areaId)) : t('area.all');
  const wallHref = `/board/wall${areaId && !pinned ? `?areaId=${encodeURIComponent(areaId)}` : ''}`;
  const boardHref = `/board${areaId && !pinned ? `?areaId=${encodeURIComponent(areaId)}` : ''}`;
  const figure = (v: number | undefined) => (v === undefined ? '—' : formatNumber(v));

  return (
    <section class={wall ? 'board board-wall' : 'board'}>
      <div class="screen-head board-head">
        <h1>
          {wall ? place : t('board.title', { area: place })}
        </h1>
        <div class="actions board-actions">
          {wall && <span class="wall-clock">{formatTime(now)}</span>}
          <SocketChip socket={socket} />
          {wall ? (
            <>
              <button type="button" class="button" onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>
                {t('board.fullScreen')}
              </button>
              <a class="button" href={boardHref}>
                {t('board.leaveWall')}
              </a>
            </>
          ) : (
            <a class="button" href={wallHref} data-testid="wall-link">
              <Icon name="wall" size={20} /> {t('board.wall')}
            </a>
          )}
        </div>
      </div>
      {!pinned && !wall && <AreaSelect value={areaId} onChange={setAreaId} />}
      {(socket === 'closed' || error) && (
        <p class="banner banner-error" role="alert">
          ✖ {t('board.refused')}
        </p>
      )}
      <div class="board-body">
        {tiles.length === 0 ? (
          <p class="banner banner-info board-empty">{socket === 'live' ? t('board.noneLive') : t('board.noneYet')}</p>
        ) : (
          <ul class="tiles" aria-live="polite" aria-relevant="additions removals" aria-label={t('board.tiles')}>
            {tiles.map((t) => (
              <TileCard key={t.parentQr} tile={t} now={now} />
            ))}
          </ul>
        )}
        <div class="kpis kpis-strip" data-testid="board-kpis" aria-label={t('board.today')}>
          <div class="kpi">
            <span class="kpi-label">{t('board.rate')}</span>
            <span class="kpi-value">{formatNumber(rate[rate.length - 1] ?? 0)}</span>
            <Sparkline values={rate} label={t('board.rateLabel', { minutes: rate.length, values: rate.join(', ') })} />
          </div>
          <div class="kpi">
            <span class="kpi-label">{t('board.scanners')}</span>
            <span class="kpi-value">{scanners.length}</span>
            <span class="kpi-note">{scanners.slice(0, 4).join(', ')}</span>
          </div>
          <div class="kpi" data-testid="kpi-opened">
            <span class="kpi-label">{t('board.opened')}</span>
            <span class="kpi-value">{figure(stats?.parentsOpenedToday)}</span>
          </div>
          <div class="kpi" data-testid="kpi-completed">
            <span class="kpi-label">{t('board.completed')}</span>
            <span class="kpi-value">{figure(stats?.parentsCompletedToday)}</span>
          </div>
          <div class="kpi" data-testid="kpi-rejected">
            <span class="kpi-label">{t('board.rejected')}</span>
            <span class="kpi-value">{figure(stats?.rejectedLastHour)}</span>
            {!wall && (
              <a class="kpi-note" href={`/history?result=rejected${areaId ? `&areaId=${areaId}` : ''}`}>
                {t('board.showRejected')}
              </a>
            )}
          </div>
        </div>
        {failed && <p class="muted board-stale">{t('board.stale')}</p>}
      </div>
      {!wall && <ConflictsPanel areaId={areaId} />}
    </section>
  );
}
