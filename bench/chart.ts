/** A small log–log line chart as a standalone SVG (no dependency, readable in a GitHub README). */

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

/** An axis tick (1 s, 200 ms) or a measured value (1.99 s, 17.9 ms). */
const formatMs = (ms: number) => (ms >= 1000 ? `${num(ms / 1000)} s` : ms >= 1 ? `${num(ms)} ms` : `${ms.toPrecision(2)} ms`);
const formatValue = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toPrecision(3)} s` : `${ms.toPrecision(3)} ms`);

export function lineChartSvg(spec: ChartSpec): string {
  const all = spec.series.flatMap((s) => s.points);
  const xs = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...all.map((p) => p.y))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...all.map((p) => p.y))));
  const xLo = Math.log10(xs[0]!) - 0.15;
  const xHi = Math.log10(xs[xs.length - 1]!) + 0.15;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const px = (x: number) => M.left + ((Math.log10(x) - xLo) / (xHi - xLo)) * plotW;
  const py = (y: number) => M.top + plotH - ((Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2 - M.right / 2 + M.left / 2}" y="26" text-anchor="middle" font-size="15" font-weight="600">${escape(spec.title)}</text>`);
  for (const t of logTicks(yMin, yMax)) {
    const y = num(py(t));
    out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${y}" y2="${y}" stroke="${Math.log10(t) % 1 === 0 ? '#d0d0d0' : '#eeeeee'}"/>`);
    out.push(`<text x="${M.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#444">${escape(formatMs(t))}</text>`);
  }
  for (const x of xs) {
    out.push(`<line x1="${num(px(x))}" x2="${num(px(x))}" y1="${M.top}" y2="${M.top + plotH}" stroke="#eeeeee"/>`);
    out.push(`<text x="${num(px(x))}" y="${M.top + plotH + 18}" text-anchor="middle" fill="#444">${escape(spec.formatX(x))}</text>`);
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
    out.push(`<text x="${num(px(e.last.x) + 8)}" y="${num(e.y)}" fill="${e.s.color}" font-size="11">${escape(formatValue(e.last.y))}</text>`);
  }
  spec.series.forEach((s, i) => {
    const points = [...s.points].sort((a, b) => a.x - b.x);
    const path = points.map((p, j) => `${j ? 'L' : 'M'}${num(px(p.x))} ${num(py(p.y))}`).join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="7 5"' : ''}/>`);
    for (const p of points) {
      out.push(`<circle cx="${num(px(p.x))}" cy="${num(py(p.y))}" r="4" fill="${s.color}"><title>${escape(`${s.name} at ${spec.formatX(p.x)}: ${formatValue(p.y)}`)}</title></circle>`);
    }
    const ly = M.top + 14 + i * 22;
    const lx = M.left + plotW + 18;
    out.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="7 5"' : ''}/>`);
    out.push(`<text x="${lx + 32}" y="${ly}" dominant-baseline="middle" fill="#222">${escape(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
