/** A small line chart as a standalone SVG (no dependency, readable in a GitHub README): log or linear axes. */

export interface Series {
  name: string;
  color: string;
  /** Dashed line (for the approach we compare against). */
  dashed?: boolean;
  points: Array<{ x: number; y: number }>;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Label of an x value (e.g. 1000000 → "1M"). */
  formatX: (x: number) => string;
  /** Default: log on both axes, y in milliseconds. */
  xScale?: 'log' | 'linear';
  yScale?: 'log' | 'linear';
  /** Label of a y tick and of a measured value. Default: milliseconds (1 s, 200 ms). */
  formatY?: (y: number) => string;
  /** Linear x axis: the ticks to draw (default: every x of the data). */
  xTicks?: number[];
}

const W = 760;
const H = 440;
const M = { left: 78, right: 190, top: 48, bottom: 62 };

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (n: number) => (Math.round(n * 10) / 10).toString();

/** 1, 2, 5, 10, 20, 50, … between lo and hi (for a log axis). */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** p;
      if (t >= lo && t <= hi) ticks.push(t);
    }
  }
  return ticks;
}

/** 0, 1, 2, 5, 10, 20, … steps: about five from 0 up to at least hi (for a linear axis). */
function linearTicks(hi: number): number[] {
  const raw = hi / 5;
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  return Array.from({ length: Math.ceil(hi / step) + 1 }, (_, i) => i * step);
}

interface Axis {
  ticks: number[];
  /** Position of a value from 0 (low end) to 1 (high end). */
  at: (v: number) => number;
}

function axis(scale: 'log' | 'linear', values: number[], pad: boolean): Axis {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (scale === 'linear') {
    const ticks = linearTicks(hi);
    // Padded on the x axis, so that the values written after the last points stay inside the plot.
    const top = pad ? hi * 1.12 : ticks[ticks.length - 1]!;
    return { ticks, at: (v) => v / top };
  }
  const [a, b] = pad ? [Math.log10(lo) - 0.15, Math.log10(hi) + 0.15] : [Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi))];
  return { ticks: logTicks(10 ** a, 10 ** b), at: (v) => (Math.log10(v) - a) / (b - a) };
}

/** An axis tick (1 s, 200 ms) or a measured value (1.99 s, 17.9 ms). */
const formatMs = (ms: number) => (ms >= 1000 ? `${num(ms / 1000)} s` : ms >= 1 ? `${num(ms)} ms` : `${ms.toPrecision(2)} ms`);
const formatValue = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toPrecision(3)} s` : `${ms.toPrecision(3)} ms`);

export function lineChartSvg(spec: ChartSpec): string {
  const all = spec.series.flatMap((s) => s.points);
  const xs = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  const formatY = spec.formatY ?? formatMs;
  const formatPoint = spec.formatY ?? formatValue;
  const x = axis(spec.xScale ?? 'log', xs, true);
  const y = axis(spec.yScale ?? 'log', all.map((p) => p.y), false);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const px = (v: number) => M.left + x.at(v) * plotW;
  const py = (v: number) => M.top + plotH - y.at(v) * plotH;
  const xTicks = spec.xScale === 'linear' ? (spec.xTicks ?? xs) : xs;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2 - M.right / 2 + M.left / 2}" y="26" text-anchor="middle" font-size="15" font-weight="600">${escape(spec.title)}</text>`);
  for (const t of y.ticks) {
    const ty = num(py(t));
    out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${ty}" y2="${ty}" stroke="${spec.yScale !== 'linear' && Math.log10(t) % 1 === 0 ? '#d0d0d0' : '#eeeeee'}"/>`);
    out.push(`<text x="${M.left - 8}" y="${ty}" text-anchor="end" dominant-baseline="middle" fill="#444">${escape(formatY(t))}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${num(px(t))}" x2="${num(px(t))}" y1="${M.top}" y2="${M.top + plotH}" stroke="#eeeeee"/>`);
    out.push(`<text x="${num(px(t))}" y="${M.top + plotH + 18}" text-anchor="middle" fill="#444">${escape(spec.formatX(t))}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${M.left + plotW / 2}" y="${H - 16}" text-anchor="middle" fill="#222">${escape(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#222">${escape(spec.yLabel)}</text>`);
  // End-of-line value labels, pushed apart where lines end close together.
  const ends = spec.series.map((s) => {
    const last = [...s.points].sort((a, b) => a.x - b.x).pop()!;
    return { s, last, y: py(last.y) - 8 };
  }).sort((a, b) => a.y - b.y);
  ends.forEach((e, i) => { if (i > 0) e.y = Math.max(e.y, ends[i - 1]!.y + 13); });
  for (const e of ends) {
    out.push(`<text x="${num(px(e.last.x) + 8)}" y="${num(e.y)}" fill="${e.s.color}" font-size="11">${escape(formatPoint(e.last.y))}</text>`);
  }
  spec.series.forEach((s, i) => {
    const points = [...s.points].sort((a, b) => a.x - b.x);
    const path = points.map((p, j) => `${j ? 'L' : 'M'}${num(px(p.x))} ${num(py(p.y))}`).join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="7 5"' : ''}/>`);
    for (const p of points) {
      out.push(`<circle cx="${num(px(p.x))}" cy="${num(py(p.y))}" r="4" fill="${s.color}"><title>${escape(`${s.name} at ${spec.formatX(p.x)}: ${formatPoint(p.y)}`)}</title></circle>`);
    }
    const ly = M.top + 14 + i * 22;
    const lx = M.left + plotW + 18;
    out.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="7 5"' : ''}/>`);
    out.push(`<text x="${lx + 32}" y="${ly}" dominant-baseline="middle" fill="#222">${escape(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
