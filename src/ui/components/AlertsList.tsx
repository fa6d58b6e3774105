// The alert rules with their state (GET /api/system): firing first, colour, icon and word together. The
// System screen lists every rule; the dashboard shows only what is pending or firing, with a link to System.
import type { SystemAlert } from '../api/types';
import { formatDateTime } from '../format';
import { t, tryT } from '../i18n';
import './alerts-list.css';

const LOOK = {
  firing: { tone: 'bad', icon: '✖' },
  pending: { tone: 'warn', icon: '▲' },
  ok: { tone: 'ok', icon: '✔' },
} as const;

export function AlertsList({ alerts }: { alerts: SystemAlert[] }) {
  return (
    <ul class="alert-list" data-testid="alerts">
      {alerts.map((a) => {
        const look = LOOK[a.state] ?? LOOK.ok;
        return (
          <li key={a.name} class={`alert-item alert-${a.state}`} data-alert={a.name} data-state={a.state}>
            <span class={`chip chip-${look.tone}`}>
              <span aria-hidden="true">{look.icon}</span> {t(`system.alertState.${a.state}`)}
            </span>
            <span class="alert-text">
              <strong>{tryT(`system.alert.${a.name}`) ?? a.summary}</strong>{' '}
              <small class="muted">
                {tryT(`system.severity.${a.severity}`) ?? a.severity}
                {a.state !== 'ok' && a.since && ` · ${t('system.since', { time: formatDateTime(a.since) })}`}
              </small>
              {a.state !== 'ok' && a.description && <span class="alert-detail">{a.description}</span>}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
