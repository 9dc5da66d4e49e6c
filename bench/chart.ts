/**
 * Hand-written SVG of the fanout scenario: delivered messages/s and p99 latency against the
 * offered load, one line per target (service vs raw baseline). No dependencies.
 *
 * CLI: tsx bench/chart.ts [results.json (default bench/results/latest.json)] [out.svg (default bench/results/latest.svg)]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { optionsFor, type RunRecord } from './record';

const width = 960;
const height = 400;
const panel = { w: 400, h: 260, top: 70 };
const colors = ['#444444', '#d9480f', '#1971c2', '#2f9e44', '#9c36b5'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => (v >= 1000 ? `${Math.round(v / 100) / 10}k` : String(Math.round(v * 10) / 10));

interface Series {
  label: string;
  color: string;
  points: (number | null)[];
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}

/** One panel: categorical x (offered loads), linear or log y. */
function drawPanel(x0: number, title: string, categories: string[], series: Series[], log: boolean): string {
  const values = series.flatMap((s) => s.points).filter((v): v is number => v !== null && v > 0);
  const maxV = niceMax(Math.max(1, ...values));
  const minV = log ? 10 ** Math.floor(Math.log10(Math.max(0.01, Math.min(...values, maxV)))) : 0;
  const y = (v: number) =>
    panel.top + panel.h - (log ? (Math.log10(v) - Math.log10(minV)) / (Math.log10(maxV) - Math.log10(minV)) : v / maxV) * panel.h;
  const x = (i: number) => x0 + (categories.length === 1 ? panel.w / 2 : (i * panel.w) / (categories.length - 1));
  const ticks = log
    ? Array.from({ length: Math.round(Math.log10(maxV / minV)) + 1 }, (_, k) => minV * 10 ** k)
    : [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxV);
  const out = [`<text x="${x0 + panel.w / 2}" y="${panel.top - 14}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`];
  out.push(`<rect x="${x0}" y="${panel.top}" width="${panel.w}" height="${panel.h}" fill="none" stroke="#bbb"/>`);
  for (const t of ticks) {
    out.push(`<line x1="${x0}" x2="${x0 + panel.w}" y1="${y(t || minV)}" y2="${y(t || minV)}" stroke="#eee"/>`);
    out.push(`<text x="${x0 - 6}" y="${y(t || minV) + 4}" text-anchor="end" font-size="11">${fmt(t)}</text>`);
  }
  categories.forEach((c, i) => out.push(`<text x="${x(i)}" y="${panel.top + panel.h + 16}" text-anchor="middle" font-size="11">${esc(c)}</text>`));
  out.push(`<text x="${x0 + panel.w / 2}" y="${panel.top + panel.h + 34}" text-anchor="middle" font-size="11">offered deliveries/s</text>`);
  for (const s of series) {
    const pts = s.points.map((v, i) => (v === null || v <= 0 ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`));
    const line = pts.filter(Boolean).join(' ');
    if (line) out.push(`<polyline points="${line}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    pts.forEach((p) => p && out.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3.5" fill="${s.color}"/>`));
  }
  return out.join('\n');
}

export function renderChart(record: RunRecord): string {
  const rows = record.results.fanout ?? [];
  const categories = [...new Set(rows.map((r) => String(r.offered)))];
  const targets = [...new Set(rows.map((r) => r.target))];
  const pick = (target: string, key: 'delivered' | 'p99') =>
    categories.map((c) => {
      const row = rows.find((r) => r.target === target && String(r.offered) === c);
      const v = key === 'delivered' ? row?.deliveredPerSec : row?.latencyMs?.p99;
      return v ?? null;
    });
  const series = (key: 'delivered' | 'p99') => targets.map((t, i) => ({ label: t, color: colors[i % colors.length]!, points: pick(t, key) }));
  const labels = categories.map((c) => (c === 'max' ? 'max' : fmt(Number(c))));
  const o = optionsFor(record, 'fanout');
  const legend = targets
    .map((t, i) => `<rect x="${60 + i * 220}" y="${height - 22}" width="14" height="4" fill="${colors[i % colors.length]}"/><text x="${80 + i * 220}" y="${height - 16}" font-size="12">${esc(t)}</text>`)
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">fanout: ${o.rooms} rooms × ${o.subs} subscribers (${esc(record.startedAt.slice(0, 16))}, ${record.machine.nproc} CPUs)</text>
${drawPanel(70, 'delivered messages/s', labels, series('delivered'), false)}
${drawPanel(540, 'p99 send → receive (ms, log scale)', labels, series('p99'), true)}
${legend}
</svg>
`;
}

if (require.main === module) {
  const input = process.argv[2] ?? 'bench/results/latest.json';
  const output = process.argv[3] ?? 'bench/results/latest.svg';
  writeFileSync(output, renderChart(JSON.parse(readFileSync(input, 'utf8')) as RunRecord));
  process.stdout.write(`wrote ${output}\n`);
}
