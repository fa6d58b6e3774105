// One small time chart of the System screen (uPlot, the dashboard's chart library, loaded as its own chunk).
// The plot is made once per series set and language; later polls only hand it new data (setData), so a
// live refresh every few seconds does not rebuild the canvas or lose the cursor.
import { useEffect, useRef } from 'preact/hooks';
import { formatClock, formatNumber } from '../../format';
import { language, t } from '../../i18n';
import type { Columns } from './system-figures';

export interface ChartSeries {
  label: string;
  stroke: string;
  dash?: number[];
  /** A second y scale (right axis) for a series in other units. */
  right?: boolean;
  digits?: number;
}

interface Plot {
  destroy(): void;
  setData(data: Columns): void;
  setSize(s: { width: number; height: number }): void;
}

const HEIGHT = 180;
/** A 360 px phone leaves about 300 px inside the card; never wider than the box. */
const MIN_WIDTH = 240;

export function MetricChart({ title, series, data, testId }: { title: string; series: ChartSeries[]; data: Columns; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<Plot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  const shape = series.map((s) => `${s.label}|${s.right ? 'r' : 'l'}`).join(',');

  useEffect(() => {
    let observer: ResizeObserver | null = null;
    let live = true;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([{ default: UPlot }]) => {
      const el = box.current;
      if (!live || !el) return;
      const hasRight = series.some((s) => s.right);
      const made = new UPlot(
        {
          width: Math.max(MIN_WIDTH, el.clientWidth),
          height: HEIGHT,
          legend: { live: false },
          scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] }, r: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
          axes: [
            { values: (_u, ticks) => ticks.map((s) => formatClock(s * 1000)), size: 30 },
            { size: 44 },
            ...(hasRight ? [{ scale: 'r', side: 1 as const, grid: { show: false }, size: 40 }] : []),
          ],
          series: [
            { label: t('system.time'), value: (_u, v) => (v == null ? '—' : formatClock(v * 1000)) },
            ...series.map((s) => ({
              label: s.label,
              stroke: s.stroke,
              width: 2,
              dash: s.dash,
              scale: s.right ? 'r' : 'y',
              spanGaps: false,
              value: (_u: unknown, v: number | null) => (v == null ? '—' : formatNumber(v, s.digits ?? 0)),
            })),
          ],
        },
        latest.current,
        el,
      );
      plot.current = made;
      observer = new ResizeObserver(() => made.setSize({ width: Math.max(MIN_WIDTH, el.clientWidth), height: HEIGHT }));
      observer.observe(el);
    });
    return () => {
      live = false;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Made again when the language changes: uPlot's labels are plain text, not components.
  }, [shape, language.value]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure class="card system-chart" data-testid={testId}>
      <figcaption>
        <h3>{title}</h3>
      </figcaption>
      <div ref={box} class="chart chart-small" aria-hidden="true" />
    </figure>
  );
}
