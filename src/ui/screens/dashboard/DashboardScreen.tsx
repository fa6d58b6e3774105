// Dashboard: KPI cards from the counters (GET /api/stats), scans per hour today vs yesterday, the areas
// side by side and the latest scans. Refreshes every 30 s while open.
import { ConflictsPanel } from '../../components/ConflictsPanel';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { Page, ScanRow, Stats, SystemAlert, SystemView } from '../../api/types';
import { AlertsList } from '../../components/AlertsList';
import { ErrorBanner } from '../../components/ErrorBanner';
import { QrLink } from '../../components/QrLink';
import { StatusChip } from '../../components/StatusChip';
import { formatNumber, formatTime, setTimeZone } from '../../format';
import { t } from '../../i18n';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { HourlyChart } from './HourlyChart';
import { hourlySeries, type HourlySeries } from './hourly';
import '../screens.css';

const REFRESH_MS = 30_000;

/** Alerts that are pending or firing (issue 14: shown on the dashboard too), with the way to the System screen. */
function AlertsPanel({ alerts }: { alerts: SystemAlert[] | null }) {
  if (alerts === null) return null;
  const active = alerts.filter((a) => a.state !== 'ok').sort((a, b) => (a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1));
  return (
    <section class={`card dashboard-alerts${active.some((a) => a.state === 'firing') ? ' dashboard-alerts-firing' : ''}`} data-testid="dashboard-alerts">
      <h2>{t('system.alerts')}</h2>
      {active.length === 0 ? <p class="muted">{t('system.alertsNone')}</p> : <AlertsList alerts={active} />}
      <p>
        <a href="/system">{t('system.open')}</a>
      </p>
    </section>
  );
}

function Kpi({ label, value, note }: { label: string; value: number | undefined; note?: string }) {
  return (
    <div class="kpi">
      <span class="kpi-label">{label}</span>
      <span class="kpi-value">{formatNumber(value)}</span>
      {note && <span class="kpi-note">{note}</span>}
    </div>
  );
}

export default function DashboardScreen() {
  const [stats, setStats] = useState<Stats | null>(null);
  const [hourly, setHourly] = useState<HourlySeries | null>(null);
  const [recent, setRecent] = useState<ScanRow[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [alerts, setAlerts] = useState<SystemAlert[] | null>(null);
  const admin = currentUser.value?.role === 'admin';
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(t);
  }, []);

  useEffect(() => {
    let live = true;
    api<Stats>('/api/stats')
      .then((s) => {
        if (!live) return;
        setTimeZone(s.timeZone);
        setStats(s);
        setError(null);
      })
      .catch((err) => live && setError(err));
    api<unknown>('/api/stats/hourly')
      .then((h) => live && setHourly(hourlySeries(h)))
      .catch(() => live && setHourly(null));
    if (admin) {
      api<SystemView>('/api/system')
        .then((v) => live && setAlerts(v.alerts))
        .catch(() => live && setAlerts(null));
    }
    api<Page<ScanRow>>('/api/scans?limit=10')
      .then((p) => live && setRecent(p.items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [tick]);

  return (
    <section>
      <h1>{t('dashboard.title')}</h1>
      <ErrorBanner error={error} />
      <div class="kpis" data-testid="kpis">
        <Kpi label={t('dashboard.parents')} value={stats?.parents} />
        <Kpi label={t('dashboard.children')} value={stats?.children} />
        <Kpi label={t('dashboard.scansToday')} value={stats?.scansToday} />
        <Kpi label={t('dashboard.sessions')} value={stats?.activeSessions} note={t('dashboard.sessionsNote')} />
        <Kpi label={t('dashboard.completedToday')} value={stats?.parentsCompletedToday} />
        <Kpi label={t('dashboard.rejectedHour')} value={stats?.rejectedLastHour} />
        <Kpi label={t('dashboard.billsOpen')} value={stats?.bills?.open} />
        <Kpi label={t('dashboard.billsCompleted')} value={stats?.bills?.completed} />
      </div>
      <AlertsPanel alerts={alerts} />
      <ConflictsPanel />
      {hourly && <HourlyChart series={hourly} />}
      {stats && stats.byArea?.length > 0 && (
        <>
          <h2>{t('dashboard.byArea')}</h2>
          <div class="table-wrap table-wrap-stack">
            <table class="table-stack" data-testid="areas-table">
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.area')}</th>
                  <th scope="col" class="num">
                    {t('dashboard.parents')}
                  </th>
                  <th scope="col" class="num">
                    {t('dashboard.children')}
                  </th>
                  <th scope="col" class="num">
                    {t('dashboard.scansToday')}
                  </th>
                  <th scope="col" class="num">
                    {t('dashboard.openedToday')}
                  </th>
                  <th scope="col" class="num">
                    {t('dashboard.completedToday')}
                  </th>
                  <th scope="col" class="num">
                    {t('dashboard.rejectedToday')}
                  </th>
                  <th scope="col" class="num">
                    {t('dashboard.sessions')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {stats.byArea.map((a) => (
                  <tr key={a.areaId}>
                    <td data-label={t('dashboard.area')}>
                      <a href={`/bags?areaId=${a.areaId}`}>{a.name || areaName(a.areaId)}</a>
                    </td>
                    <td class="num" data-label={t('dashboard.parents')}>{formatNumber(a.parents)}</td>
                    <td class="num" data-label={t('dashboard.children')}>{formatNumber(a.children)}</td>
                    <td class="num" data-label={t('dashboard.scansToday')}>{formatNumber(a.scansToday)}</td>
                    <td class="num" data-label={t('dashboard.openedToday')}>{formatNumber(a.parentsOpenedToday)}</td>
                    <td class="num" data-label={t('dashboard.completedToday')}>{formatNumber(a.parentsCompletedToday)}</td>
                    <td class="num" data-label={t('dashboard.rejectedToday')}>{formatNumber(a.rejectedToday)}</td>
                    <td class="num" data-label={t('dashboard.sessions')}>{formatNumber(a.activeSessions)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h2>{t('dashboard.recent')}</h2>
      {recent.length === 0 ? (
        <p class="muted">{t('dashboard.noScans')}</p>
      ) : (
        <ol class="timeline">
          {recent.map((s) => (
            <li key={s.id}>
              <time dateTime={s.at}>{formatTime(s.at)}</time>
              <span>
                <StatusChip status={s.result} /> <QrLink qr={s.childQr} /> → <QrLink qr={s.parentQr} /> {s.username ? t('dashboard.by', { name: s.username }) : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
      <p>
        <a href="/history">{t('dashboard.allScans')}</a>
      </p>
    </section>
  );
}
