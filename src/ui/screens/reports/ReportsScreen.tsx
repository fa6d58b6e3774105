// Reports: scans of a day per area and per user, the end-of-day summary, and bills over a date range.
// Each table downloads as CSV; the raw scans of the day link to the streamed scans export.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { AreaSelect } from '../../components/AreaSelect';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ReportTable, type ReportColumn } from '../../components/ReportTable';
import { dayInZone, setTimeZone, timeZone } from '../../format';
import { exportHref, filtersToQuery } from '../../lib/filters';
import { areaName } from '../../state/areas';
import { t } from '../../i18n';
import { currentUser } from '../../state/session';
import '../screens.css';

type Row = Record<string, unknown>;
const num = (k: string) => (r: Row) => (typeof r[k] === 'number' ? (r[k] as number) : null);
const txt = (...keys: string[]) => (r: Row) => {
  for (const k of keys) if (r[k] != null) return String(r[k]);
  return null;
};
// Functions, not constants: the labels follow the language on screen.
const tallyCols = (): Array<ReportColumn<Row>> => [
  { label: t('col.scans'), numeric: true, value: num('scans') },
  { label: t('col.linked'), numeric: true, value: num('linked') },
  { label: t('col.duplicate'), numeric: true, value: num('duplicate') },
  { label: t('col.rejected'), numeric: true, value: num('rejected') },
];
const areaCol = (): ReportColumn<Row> => ({ label: t('col.area'), value: (r) => txt('name', 'areaName')(r) ?? (typeof r.areaId === 'number' ? areaName(r.areaId) : '—') });
const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);

function useReport(path: string | null) {
  const [data, setData] = useState<Row | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setError(null);
    api<Row>(path)
      .then((d) => {
        if (!live) return;
        if (typeof d.timeZone === 'string') setTimeZone(d.timeZone);
        setData(d);
      })
      .catch((e) => {
        if (!live) return;
        setError(e);
        setData(null);
      });
    return () => {
      live = false;
    };
  }, [path]);
  return { data, error };
}

export default function ReportsScreen() {
  const user = currentUser.value!;
  const office = user.role === 'biller' || user.role === 'admin';
  const [date, setDate] = useState(dayInZone());
  const [areaId, setAreaId] = useState('');
  const [from, setFrom] = useState(dayInZone(new Date(Date.now() - 6 * 86_400_000)));
  const [to, setTo] = useState(dayInZone());
  const daily = useReport(`/api/reports/daily${filtersToQuery({ date, areaId })}`);
  const eod = useReport(office ? `/api/reports/eod${filtersToQuery({ date })}` : null);
  const bills = useReport(office ? `/api/reports/bills${filtersToQuery({ from, to })}` : null);
  const returns = useReport(office ? `/api/reports/returns${filtersToQuery({ from, to })}` : null);

  return (
    <section>
      <h1>{t('reports.title')}</h1>
      <p class="muted">{t('reports.days', { zone: timeZone() })}</p>
      <div class="filters">
        <label class="field">
          {t('reports.day')}
          <input type="date" value={date} max={dayInZone()} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
        </label>
        {user.areaId === null && <AreaSelect value={areaId} onChange={setAreaId} />}
        <a class="button" href={exportHref('/api/export/scans.csv', { from: date, to: date, areaId })} download>
          {t('reports.rawScans')}
        </a>
      </div>
      <ErrorBanner error={daily.error} />
      {daily.data && (
        <>
          <ReportTable title={t('reports.perArea', { date })} file={`scans-per-area-${date}.csv`} columns={[areaCol(), ...tallyCols()]} rows={rows(daily.data.byArea)} total={daily.data.total ? { name: t('reports.total'), ...(daily.data.total as Row) } : undefined} />
          <ReportTable
            title={t('reports.perUser', { date })}
            file={`scans-per-user-${date}.csv`}
            columns={[{ label: t('col.user'), value: txt('username', 'userId') }, areaCol(), ...tallyCols()]}
            rows={rows(daily.data.byUser)}
          />
        </>
      )}
      {office && (
        <>
          <h2>{t('reports.eod', { date })}</h2>
          <ErrorBanner error={eod.error} />
          {eod.data && (
            <>
              <ReportTable
                title={t('reports.eodAreas')}
                file={`eod-areas-${date}.csv`}
                columns={[
                  areaCol(),
                  { label: t('col.parentsCreated'), numeric: true, value: num('parentsCreated') },
                  { label: t('col.parentsCompleted'), numeric: true, value: num('parentsCompleted') },
                  { label: t('col.childrenLinked'), numeric: true, value: num('childrenLinked') },
                  ...tallyCols(),
                ]}
                rows={rows(eod.data.byArea)}
              />
              <ReportTable
                title={t('reports.eodBillers')}
                file={`eod-billers-${date}.csv`}
                columns={[
                  { label: t('col.biller'), value: txt('username', 'billerId') },
                  { label: t('col.billsCreated'), numeric: true, value: num('billsCreated') },
                  { label: t('col.billsFinalized'), numeric: true, value: num('billsFinalized') },
                  { label: t('col.parentsAdded'), numeric: true, value: num('parentsAdded') },
                  { label: t('col.children'), numeric: true, value: num('childrenAdded') },
                  { label: t('col.expectedKg'), numeric: true, value: num('expectedWeightKg') },
                ]}
                rows={rows(eod.data.byBiller)}
              />
              {eod.data.returns && (
                <div data-testid="eod-returns">
                  <ReportTable
                    title={t('reports.eodReturns')}
                    file={`eod-returns-${date}.csv`}
                    columns={[
                      areaCol(),
                      { label: t('col.ticketsOpened'), numeric: true, value: num('ticketsCreated') },
                      { label: t('col.finalized'), numeric: true, value: num('ticketsFinalized') },
                      { label: t('col.cancelled'), numeric: true, value: num('ticketsCancelled') },
                      { label: t('col.parentsReturned'), numeric: true, value: num('parentsReturned') },
                      { label: t('col.children'), numeric: true, value: num('childrenReturned') },
                      { label: t('col.weightReturnedKg'), numeric: true, value: num('weightKg') },
                    ]}
                    rows={rows((eod.data.returns as Row).byArea)}
                    total={{ name: t('reports.total'), ...((eod.data.returns as Row).totals as Row) }}
                  />
                </div>
              )}
            </>
          )}
          <h2>{t('reports.billsRange')}</h2>
          <div class="filters">
            <label class="field">
              {t('reports.from')}
              <input type="date" value={from} max={to} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
            </label>
            <label class="field">
              {t('reports.to')}
              <input type="date" value={to} min={from} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
            </label>
          </div>
          <ErrorBanner error={bills.error} />
          {bills.data && (
            <ReportTable
              title={t('reports.bills', { from, to })}
              file={`bills-${from}-${to}.csv`}
              columns={[
                { label: t('col.biller'), value: txt('username', 'billerId') },
                { label: t('col.bills'), numeric: true, value: num('bills') },
                { label: t('col.completed'), numeric: true, value: num('completed') },
                { label: t('col.finalized'), numeric: true, value: num('finalized') },
                { label: t('col.parents'), numeric: true, value: num('parents') },
                { label: t('col.children'), numeric: true, value: num('children') },
                { label: t('col.weighed'), numeric: true, value: num('weighedBills') },
                { label: t('col.actualKg'), numeric: true, value: num('actualWeightKg') },
                { label: t('col.expectedKg'), numeric: true, value: num('expectedWeightKg') },
                { label: t('col.varianceKg'), numeric: true, value: num('varianceKg') },
              ]}
              rows={rows(bills.data.byBiller)}
              total={bills.data.totals ? { username: t('reports.total'), ...(bills.data.totals as Row) } : undefined}
            />
          )}
          <ErrorBanner error={returns.error} />
          {returns.data && (
            <div data-testid="returns-report">
              <ReportTable
                title={t('reports.returns', { from, to })}
                file={`returns-${from}-${to}.csv`}
                columns={[
                  areaCol(),
                  { label: t('col.tickets'), numeric: true, value: num('tickets') },
                  { label: t('col.finalized'), numeric: true, value: num('finalized') },
                  { label: t('col.cancelled'), numeric: true, value: num('cancelled') },
                  { label: t('col.parents'), numeric: true, value: num('parents') },
                  { label: t('col.children'), numeric: true, value: num('children') },
                  { label: t('col.weightReturnedKg'), numeric: true, value: num('weightKg') },
                ]}
                rows={rows(returns.data.byArea)}
                total={returns.data.totals ? { name: t('reports.total'), ...(returns.data.totals as Row) } : undefined}
              />
              <a class="button" href={exportHref('/api/export/returns.csv', { from, to })} download>
                {t('reports.returnedParents')}
              </a>
            </div>
          )}
        </>
      )}
    </section>
  );
}
