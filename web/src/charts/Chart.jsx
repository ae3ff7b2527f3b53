// uPlot charts: a day-by-day trend (bookings as bars, revenue as a line on its own axis) and bars
// by category. Each comes with its figures as a table for screen readers and for copying.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { money } from '../lib/format.js';
import { TableHead } from '../components/common.jsx';

function usePlot(makeOptions, data, deps) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    const width = () => Math.max(280, el.clientWidth);
    const plot = new uPlot({ ...makeOptions(), width: width(), height: 260 }, data, el);
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 260 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, deps);
  return box;
}

const bars = uPlot.paths.bars({ size: [0.6, 48] });

export function TrendChart({ trends, currency = 'USD', label }) {
  const xs = trends.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
  const data = [xs, trends.map((d) => d.bookings), trends.map((d) => d.revenue)];
  const box = usePlot(
    () => ({
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      // Half a day of room either side, so the first and last days' bars are whole.
      scales: { x: { time: true, range: (u, lo, hi) => [lo - 43200, hi + 43200] }, bookings: { range: (u, lo, hi) => [0, Math.max(1, hi)] }, revenue: { range: (u, lo, hi) => [Math.min(0, lo), Math.max(1, hi)] } },
      series: [
        { label: 'Day' },
        { label: 'Bookings', scale: 'bookings', stroke: '#0072B2', fill: 'rgba(0,114,178,0.35)', paths: bars, points: { show: false } },
        { label: 'Revenue', scale: 'revenue', stroke: '#D55E00', width: 2, dash: [6, 3], value: (u, v) => (v === null ? '' : money(v, currency)) },
      ],
      axes: [{}, { scale: 'bookings', label: 'Bookings', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 50000, 100000] }, { scale: 'revenue', side: 1, label: 'Revenue', grid: { show: false }, values: (u, vals) => vals.map((v) => money(v, currency).replace(/\.00$/, '')), size: 70 }],
    }),
    data,
    [JSON.stringify(trends), currency],
  );
  return (
    <figure class="chart">
      <figcaption>{label}</figcaption>
      <div ref={box} class="chart-plot" role="img" aria-label={`${label}: bookings and revenue per day`} />
      <details>
        <summary>{label} as a table</summary>
        <table>
          <TableHead columns={['Day (UTC)', 'Bookings', 'Revenue']} />
          <tbody>
            {trends.map((d) => (
              <tr data-day={d.date}>
                <td>{d.date}</td>
                <td>{d.bookings}</td>
                <td>{money(d.revenue, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function CategoryChart({ values, currency = 'USD', label }) {
  const names = Object.keys(values);
  const data = [names.map((_, i) => i), names.map((n) => values[n])];
  const box = usePlot(
    () => ({
      scales: { x: { time: false, range: () => [-0.5, Math.max(0.5, names.length - 0.5)] }, y: { range: (u, lo, hi) => [Math.min(0, lo), Math.max(1, hi)] } },
      series: [
        { label: 'Category', value: (u, v) => names[v] ?? '' },
        { label: 'Revenue', stroke: '#009E73', fill: 'rgba(0,158,115,0.55)', paths: bars, points: { show: false }, value: (u, v) => (v === null ? '' : money(v, currency)) },
      ],
      axes: [
        { splits: () => names.map((_, i) => i), values: (u, splits) => splits.map((i) => names[i] ?? ''), grid: { show: false } },
        { values: (u, vals) => vals.map((v) => money(v, currency).replace(/\.00$/, '')), size: 70 },
      ],
    }),
    data,
    [JSON.stringify(values), currency],
  );
  return (
    <figure class="chart">
      <figcaption>{label}</figcaption>
      <div ref={box} class="chart-plot" role="img" aria-label={`${label} by category`} />
      <details>
        <summary>{label} as a table</summary>
        <table>
          <TableHead columns={['Category', 'Revenue']} />
          <tbody>
            {names.map((n) => (
              <tr data-category={n}>
                <td>{n}</td>
                <td>{money(values[n], currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
