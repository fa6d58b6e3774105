// Scans per hour, today vs yesterday, drawn by uPlot (~20 KB gzip) loaded as its own chunk when the
// dashboard mounts. The numbers are also given as a table for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import type { HourlySeries } from './hourly';
import { cutAtHour } from './hourly';
import { formatNumber, hourInZone, zoneLabel } from '../../format';

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
          axes: [{ label: `Hour (${zoneLabel()})`, values: (_u, ticks) => ticks.map((t) => `${t}h`) }, { label: 'Scans' }],
          series: [
            { label: 'Hour', value: (_u, v) => (v == null ? '—' : `${String(v).padStart(2, '0')}:00`) },
            { label: 'Today', value: (_u, v) => (v == null ? '—' : formatNumber(v)), stroke: '#1d4ed8', width: 3, fill: 'rgba(29,78,216,0.08)' },
            { label: 'Yesterday', value: (_u, v) => (v == null ? '—' : formatNumber(v)), stroke: '#64748b', width: 2, dash: [6, 4] },
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
  }, [series]);
  return (
    <figure class="card">
      <figcaption>
        <h2>Scans per hour: today vs yesterday</h2>
      </figcaption>
      <div ref={box} class="chart" aria-hidden="true" />
      <details>
        <summary>Show as a table</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Hour ({zoneLabel()})</th>
                <th class="num">Today</th>
                <th class="num">Yesterday</th>
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
