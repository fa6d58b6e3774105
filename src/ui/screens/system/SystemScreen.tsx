// System (admins): the product's own health, live. Headline figures (scans per minute, ack and parent-open
// p50/p99, flush backlog and lag, Postgres, 5xx rate, failed sign-ins, open sockets), the alerts with their
// state, charts of the last 60 minutes and per-area rates, all from GET /api/system, polled every 5 s while
// the screen is open (no reload). One column on a phone, a grid on a desktop.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { SystemView } from '../../api/types';
import { AlertsList } from '../../components/AlertsList';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatAge, formatClock, formatNumber } from '../../format';
import { t } from '../../i18n';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { MetricChart, type ChartSeries } from './MetricChart';
import { byUrgency, columns, errorPercent, headline } from './system-figures';
import '../screens.css';
import './system.css';

const REFRESH_MS = 5000;
const NO_DATA = '—';

function Tile({ label, value, note, tone, testId }: { label: string; value: string; note?: string; tone?: 'bad'; testId?: string }) {
  return (
    <div class={`kpi${tone ? ` kpi-${tone}` : ''}`} data-testid={testId}>
      <span class="kpi-label">{label}</span>
      <span class="kpi-value">{value}</span>
      {note && <span class="kpi-note">{note}</span>}
    </div>
  );
}

const ms = (v: number | null) => (v === null ? NO_DATA : t('system.ms', { value: formatNumber(v, v < 10 ? 1 : 0) }));
const secs = (v: number | null) => (v === null ? NO_DATA : t('system.seconds', { value: formatNumber(v, 1) }));

export default function SystemScreen() {
  const admin = currentUser.value?.role === 'admin';
  const [view, setView] = useState<SystemView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!admin) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const v = await api<SystemView>('/api/system');
        if (!live) return;
        setView(v);
        setError(null);
      } catch (err) {
        if (live) setError(err as ApiError);
      }
      // The next poll after this one answered: a slow answer never piles requests up.
      if (live) timer = setTimeout(() => void poll(), REFRESH_MS);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [admin]);

  const charts = useMemo(() => {
    if (!view) return null;
    const m = view.minutes;
    return {
      scans: columns(m, [(x) => x.scans, (x) => x.rejected]),
      ack: columns(m, [(x) => x.ackP50Ms, (x) => x.ackP99Ms, (x) => x.openP50Ms, (x) => x.openP99Ms]),
      flush: columns(m, [(x) => x.flushBacklog, (x) => x.flushLagSeconds]),
      postgres: columns(m, [(x) => x.postgresLatencyMs]),
      errors: columns(m, [errorPercent, (x) => x.signInFailures]),
    };
  }, [view]);

  if (!admin) {
    return (
      <section class="card">
        <h1>{t('system.title')}</h1>
        <p>{t('system.adminsOnly')}</p>
      </section>
    );
  }

  const h = view ? headline(view) : null;
  const g = view?.gauges ?? null;
  const firing = view?.alerts.filter((a) => a.state === 'firing').length ?? 0;
  const series = {
    scans: [
      { label: t('system.seriesScans'), stroke: '#1d4ed8' },
      { label: t('system.seriesRejected'), stroke: '#b91c1c', dash: [6, 4] },
    ],
    ack: [
      { label: t('system.ackP50'), stroke: '#1d4ed8', digits: 1 },
      { label: t('system.ackP99'), stroke: '#1e3a8a', dash: [6, 4], digits: 1 },
      { label: t('system.openP50'), stroke: '#047857', digits: 1 },
      { label: t('system.openP99'), stroke: '#065f46', dash: [6, 4], digits: 1 },
    ],
    flush: [
      { label: t('system.seriesBacklog'), stroke: '#b45309' },
      { label: t('system.seriesLag'), stroke: '#7c3aed', dash: [6, 4], right: true, digits: 1 },
    ],
    postgres: [{ label: t('system.seriesLatency'), stroke: '#0f766e', digits: 1 }],
    errors: [
      { label: t('system.series5xx'), stroke: '#b91c1c', digits: 1 },
      { label: t('system.seriesSignInFailures'), stroke: '#a16207', dash: [6, 4], right: true },
    ],
  } satisfies Record<string, ChartSeries[]>;

  return (
    <section class="system">
      <div class="screen-head">
        <h1>{t('system.title')}</h1>
        <p class="muted" aria-live="off" data-testid="system-updated">
          {view ? t('system.updated', { time: formatClock(view.at) }) : t('shell.loading')} · {t('system.live', { seconds: REFRESH_MS / 1000 })}
        </p>
      </div>
      <ErrorBanner error={error} />
      {view && h && (
        <>
          <div class="kpis" data-testid="system-kpis">
            <Tile testId="kpi-scans" label={t('system.scansPerMinute')} value={formatNumber(h.scansPerMinute)} note={t('system.rejectedPerMinute', { count: h.rejectedPerMinute })} />
            <Tile label={t('system.ackP50')} value={ms(h.ackP50Ms)} note={`${t('system.ackP99')} ${ms(h.ackP99Ms)}`} />
            <Tile label={t('system.openP50')} value={ms(h.openP50Ms)} note={`${t('system.openP99')} ${ms(h.openP99Ms)}`} />
            <Tile
              testId="kpi-backlog"
              label={t('system.flushBacklog')}
              value={formatNumber(g?.flushBacklog)}
              note={g ? t('system.oldestUnflushed', { age: formatAge(g.oldestUnflushedSeconds) }) : undefined}
            />
            <Tile label={t('system.flushLag')} value={secs(g?.flushLagSeconds ?? null)} />
            <Tile
              testId="kpi-postgres"
              label={t('system.postgres')}
              value={g && !g.postgresUp ? t('system.postgresDown') : ms(g?.postgresLatencyMs ?? null)}
              tone={g && !g.postgresUp ? 'bad' : undefined}
            />
            <Tile label={t('system.errorRate')} value={h.errorRate === null ? NO_DATA : t('system.percent', { value: formatNumber(100 * h.errorRate, 2) })} />
            <Tile label={t('system.signInFailures')} value={formatNumber(h.signInFailures5m)} />
            <Tile testId="kpi-sockets" label={t('system.sockets')} value={formatNumber(view.sockets)} />
          </div>

          <section class="card" aria-labelledby="system-alerts">
            <h2 id="system-alerts">
              {t('system.alerts')}{' '}
              <small class="muted">{firing > 0 ? t('system.alertsFiring', { count: firing }) : t('system.alertsNone')}</small>
            </h2>
            <AlertsList alerts={byUrgency(view.alerts)} />
            {!view.webhookConfigured && <p class="muted">{t('system.webhookOff')}</p>}
            {view.outbox > 0 && <p class="muted">{t('system.outbox', { count: view.outbox })}</p>}
          </section>

          <h2>{t('system.lastHour')}</h2>
          {charts && (
            <div class="system-charts" data-testid="system-charts">
              <MetricChart testId="chart-scans" title={t('system.chartScans')} series={series.scans} data={charts.scans} />
              <MetricChart title={t('system.chartAck')} series={series.ack} data={charts.ack} />
              <MetricChart title={t('system.chartFlush')} series={series.flush} data={charts.flush} />
              <MetricChart title={t('system.chartPostgres')} series={series.postgres} data={charts.postgres} />
              <MetricChart title={t('system.chartErrors')} series={series.errors} data={charts.errors} />
            </div>
          )}

          <h2>{t('system.byArea')}</h2>
          {view.perArea.length === 0 ? (
            <p class="muted">{t('system.noAreas')}</p>
          ) : (
            <div class="table-wrap">
              <table data-testid="system-areas">
                <thead>
                  <tr>
                    <th scope="col">{t('system.area')}</th>
                    <th scope="col" class="num">
                      {t('system.perMinute')}
                    </th>
                    <th scope="col" class="num">
                      {t('system.rejectedShort')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.perArea.map((a) => (
                    <tr key={a.areaId}>
                      <td>{/^\d+$/.test(a.areaId) ? areaName(Number(a.areaId)) : a.areaId}</td>
                      <td class="num">{formatNumber(a.scansPerMinute, 1)}</td>
                      <td class="num">{formatNumber(a.rejectedPerMinute, 1)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
