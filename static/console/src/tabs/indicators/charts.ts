/**
 * The charts, with Chart.js: loaded on its own when the Indicators tab first draws (a chunk of its own,
 * never part of the page's first load), and only the pieces the tab uses are registered (bar and line
 * charts, category and linear scales, tooltips and the legend), so the rest of Chart.js is left out.
 * Colours are Atlassian's chart tokens, read from the page, so light and dark themes both work.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ChartSpec } from './specs';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

const TOKENS: Array<[string, string]> = [
  ['--ds-chart-blue-bold', '#1d7afc'],
  ['--ds-chart-purple-bold', '#8f7ee7'],
  ['--ds-chart-teal-bold', '#2898bd'],
  ['--ds-chart-orange-bold', '#f38a3f'],
];

function token(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export interface DrawnChart {
  destroy(): void;
}

export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec): DrawnChart {
  const text = token('--ds-text-subtle', '#44546f');
  const grid = token('--ds-border', '#091e4224');
  const unit = spec.unit === '%' ? '%' : spec.unit === 'min' ? ' min' : '';
  return new Chart(canvas, {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => {
        const [name, fallback] = TOKENS[i % TOKENS.length]!;
        const colour = token(name, fallback);
        return { label: s.label, data: s.values, backgroundColor: colour, borderColor: colour, spanGaps: true, pointRadius: 3 };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      // No animation: people who ask for reduced motion get none, and the figures show at once.
      animation: false,
      plugins: {
        legend: { display: spec.series.length > 1, labels: { color: text } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.formattedValue}${unit}` } },
      },
      scales: {
        x: { ticks: { color: text }, grid: { color: grid } },
        y: { beginAtZero: true, ...(spec.unit === '%' ? { max: 100 } : {}), ticks: { color: text, precision: 0, callback: (value) => `${value}${unit}` }, grid: { color: grid } },
      },
    },
  });
}
