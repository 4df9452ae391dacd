/**
 * A hook's last hours as two small uPlot charts: deliveries per hour by result (stacked bars:
 * successes over failures) and latency p50/p99 per hour. uPlot draws on a canvas from plain
 * arrays; it is ~50 kB minified and has no dependencies.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom';
import type { HourPoint } from './types';

const colors = { ok: '#1a7f37', bad: '#cf222e', p50: '#0969da', p99: '#8250df' };

/** The width a chart can take inside its figure (padding excluded). */
function widthOf(box: HTMLElement): number {
  const style = getComputedStyle(box);
  const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return Math.max(240, Math.floor(inner || 560));
}

/** Draws both charts into `host`; returns a function that removes them (and their resize handler). */
export function hourCharts(host: HTMLElement, series: readonly HourPoint[]): () => void {
  const x = series.map((p) => Date.parse(p.hour) / 1000);
  const succeeded = series.map((p) => p.succeeded);
  const failed = series.map((p) => p.failed);
  // Stacked by hand: the success bar is drawn to the total, the failure bar over its lower part.
  const total = series.map((p) => p.succeeded + p.failed);
  const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
  const countBox = h('figure', { class: 'chart', id: 'chart-deliveries' }, h('figcaption', {}, 'Deliveries per hour'));
  const latencyBox = h('figure', { class: 'chart', id: 'chart-latency' }, h('figcaption', {}, 'Latency per hour (p50, p99)'));
  host.replaceChildren(countBox, latencyBox);
  const height = 180;
  const counts = new uPlot(
    {
      width: widthOf(countBox),
      height,
      legend: { live: true },
      cursor: { points: { show: false } },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
      axes: [{}, { label: 'deliveries', size: 50 }],
      series: [
        {},
        {
          label: 'succeeded',
          fill: colors.ok,
          stroke: colors.ok,
          paths: bars,
          points: { show: false },
          value: (_u, _v, _s, i) => (i === null ? '–' : String(succeeded[i] ?? 0)),
        },
        { label: 'failed', fill: colors.bad, stroke: colors.bad, paths: bars, points: { show: false } },
      ],
    },
    [x, total, failed],
    countBox,
  );
  const latency = new uPlot(
    {
      width: widthOf(latencyBox),
      height,
      cursor: { points: { show: true } },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] } },
      axes: [{}, { label: 'ms', size: 50 }],
      series: [
        {},
        { label: 'p50', stroke: colors.p50, width: 2, spanGaps: false, value: (_u, v) => (v === null ? '–' : `${v} ms`) },
        { label: 'p99', stroke: colors.p99, width: 2, dash: [6, 4], spanGaps: false, value: (_u, v) => (v === null ? '–' : `${v} ms`) },
      ],
    },
    [x, series.map((p) => p.p50_ms), series.map((p) => p.p99_ms)],
    latencyBox,
  );
  const resize = (): void => {
    counts.setSize({ width: widthOf(countBox), height });
    latency.setSize({ width: widthOf(latencyBox), height });
  };
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    counts.destroy();
    latency.destroy();
  };
}
