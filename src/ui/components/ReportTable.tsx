// A report section: a table of rows with numeric columns formatted for the locale, an optional totals row,
// and a CSV download of exactly what is shown.
import { toCsv, type CsvColumn } from '../lib/csv';
import { formatNumber } from '../format';
import { t } from '../i18n';

export interface ReportColumn<T> extends CsvColumn<T> {
  numeric?: boolean;
}

export function ReportTable<T>({ title, columns, rows, total, file }: { title: string; columns: Array<ReportColumn<T>>; rows: T[]; total?: T; file: string }) {
  const download = () => {
    const blob = new Blob([toCsv(columns, total ? [...rows, total] : rows)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = file;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const show = (c: ReportColumn<T>, r: T) => {
    const v = c.value(r);
    return c.numeric && typeof v === 'number' ? formatNumber(v, 1) : (v ?? '—');
  };
  return (
    <section class="card">
      <div class="screen-head">
        <h2>{title}</h2>
        <button type="button" class="button" onClick={download} disabled={rows.length === 0}>
          {t('reports.csv')}
        </button>
      </div>
      {rows.length === 0 ? (
        <p class="muted">{t('reports.nothing')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.label} class={c.numeric ? 'num' : undefined} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c.label} class={c.numeric ? 'num' : undefined}>
                      {show(c, r)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            {total && (
              <tfoot>
                <tr>
                  {columns.map((c) => (
                    <th key={c.label} class={c.numeric ? 'num' : undefined}>
                      {show(c, total)}
                    </th>
                  ))}
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
    </section>
  );
}
