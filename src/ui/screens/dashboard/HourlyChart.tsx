// Scans per hour, today vs yesterday, drawn by uPlot (~20 KB gzip) loaded as its own chunk when the
// dashboard mounts. The numbers are also given as a table for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import type { HourlySeries } from './hourly';
import { cutAtHour } from './hourly';
import { formatNumber, hourInZone, zoneLabel } from '../../format';
import { language, t } from '../../i18n';

export function HourlyChart({ series }: { series: HourlySeries }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: { destroy(): void; setSize(s: { width: number; height: number }): void } | null = null;
    let observer: ResizeObserver | null = null;
    let live = true;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([{ default: UPlot }]) => {
      const el = box.current;
      if (!live || !el) return;
      const hours = Array.from({ length: 24 }, (_, h) => h);
      const width = Math.max(280, el.clientWidth);
      plot = new UPlot(
        {
          width,
          height: 240,
          scales: { x: { time: false } },
          axes: [{ label: t('dashboard.hour', { zone: zoneLabel() }), values: (_u, ticks) => ticks.map((h) => `${String(h).padStart(2, '0')}:00`) }, { label: t('dashboard.scans') }],
          series: [
            { label: t('dashboard.hourShort'), value: (_u, v) => (v == null ? '—' : `${String(v).padStart(2, '0')}:00`) },
            { label: t('dashboard.today'), value: (_u, v) => (v == null ? '—' : formatNumber(v)), stroke: '#1d4ed8', width: 3, fill: 'rgba(29,78,216,0.08)' },
            { label: t('dashboard.yesterday'), value: (_u, v) => (v == null ? '—' : formatNumber(v)), stroke: '#64748b', width: 2, dash: [6, 4] },
          ],
        },
        [hours, cutAtHour(series.today, hourInZone(new Date())), series.yesterday],
        el,
      );
      observer = new ResizeObserver(() => plot?.setSize({ width: Math.max(280, el.clientWidth), height: 240 }));
      observer.observe(el);
    });
    return () => {
      live = false;
      observer?.disconnect();
      plot?.destroy();
    };
    // Drawn again when the language changes: uPlot's labels are plain text, not components.
  }, [series, language.value]);
  return (
    <figure class="card">
      <figcaption>
        <h2>{t('dashboard.chartTitle')}</h2>
      </figcaption>
      <div ref={box} class="chart" aria-hidden="true" />
      <details>
        <summary>{t('dashboard.asTable')}</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('dashboard.hour', { zone: zoneLabel() })}</th>
                <th class="num">{t('dashboard.today')}</th>
                <th class="num">{t('dashboard.yesterday')}</th>
              </tr>
            </thead>
            <tbody>
              {series.today.map((v, h) => (
                <tr key={h}>
                  <td>{`${String(h).padStart(2, '0')}:00`}</td>
                  <td class="num">{formatNumber(v)}</td>
                  <td class="num">{formatNumber(series.yesterday[h] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
