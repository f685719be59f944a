/**
 * The streaming cost curve as an SVG plot (written by markdownCurve.bench.ts into
 * docs/markdown-cost-curve.svg): for each reply shape, the last-10% / first-10% ratio of the
 * cost per token against the reply's length, work (characters given to marked, solid) and time
 * (dashed), with the 1.3× goal and the naive re-render of the same run. Plain SVG text, no
 * scripts or external references, so it renders anywhere markdown shows images.
 */
export interface CurvePoint {
  readonly shape: string;
  readonly tokens: number;
  readonly work: number;
  readonly time: number;
  /** The naive re-render (whole reply redrawn per update), where measured. */
  readonly naive?: { readonly work: number; readonly time: number };
}

const W = 760;
const H = 360;
const M = { left: 64, right: 220, top: 36, bottom: 48 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c'];
const Y_TICKS = [0.5, 1, 1.3, 2, 5, 10, 20, 50];

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function costCurveSvg(points: readonly CurvePoint[], caption: string): string {
  const sizes = [...new Set(points.map((p) => p.tokens))].sort((a, b) => a - b);
  const shapes = [...new Set(points.map((p) => p.shape))];
  const ratios = points.flatMap((p) => [p.work, p.time, p.naive?.work ?? 1, p.naive?.time ?? 1]);
  const yMin = Math.min(0.5, ...ratios);
  const yMax = Math.max(2, ...ratios) * 1.15;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const lx = (n: number) => Math.log(n);
  const x = (tokens: number) =>
    sizes.length < 2 ? M.left + plotW / 2 : M.left + ((lx(tokens) - lx(sizes[0]!)) / (lx(sizes.at(-1)!) - lx(sizes[0]!))) * plotW;
  const y = (ratio: number) => M.top + (1 - (Math.log(ratio) - Math.log(yMin)) / (Math.log(yMax) - Math.log(yMin))) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${M.left}" y="20" font-size="14" font-weight="bold">Streaming cost per token: last 10% / first 10% of the reply</text>`);
  for (const t of Y_TICKS.filter((t) => t >= yMin && t <= yMax)) {
    out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${M.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}×</text>`);
  }
  out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${y(1.3).toFixed(1)}" y2="${y(1.3).toFixed(1)}" stroke="#888" stroke-dasharray="2 3"/>`);
  out.push(`<text x="${M.left + plotW - 4}" y="${(y(1.3) - 4).toFixed(1)}" text-anchor="end" fill="#555">goal ≤ 1.3×</text>`);
  for (const s of sizes) {
    out.push(`<text x="${x(s).toFixed(1)}" y="${H - M.bottom + 18}" text-anchor="middle">${s >= 1000 ? `${s / 1000}k` : s}</text>`);
  }
  out.push(`<text x="${M.left + plotW / 2}" y="${H - 10}" text-anchor="middle">reply length (tokens, log scale)</text>`);
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}" stroke="#444"/>`);
  out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${M.top + plotH}" y2="${M.top + plotH}" stroke="#444"/>`);
  shapes.forEach((shape, i) => {
    const color = COLORS[i % COLORS.length]!;
    const mine = points.filter((p) => p.shape === shape).sort((a, b) => a.tokens - b.tokens);
    for (const [key, dash] of [['work', ''], ['time', ' stroke-dasharray="6 4"']] as const) {
      const path = mine.map((p, k) => `${k ? 'L' : 'M'}${x(p.tokens).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
      out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
      for (const p of mine) out.push(`<circle cx="${x(p.tokens).toFixed(1)}" cy="${y(p[key]).toFixed(1)}" r="3" fill="${color}"/>`);
    }
    for (const p of mine) {
      if (!p.naive) continue;
      for (const v of [p.naive.work, p.naive.time]) {
        const cx = x(p.tokens);
        const cy = y(v);
        out.push(`<path d="M${(cx - 4).toFixed(1)},${(cy - 4).toFixed(1)} L${(cx + 4).toFixed(1)},${(cy + 4).toFixed(1)} M${(cx - 4).toFixed(1)},${(cy + 4).toFixed(1)} L${(cx + 4).toFixed(1)},${(cy - 4).toFixed(1)}" stroke="${color}" stroke-width="1.5"/>`);
      }
    }
    const ly = M.top + 10 + i * 20;
    out.push(`<line x1="${W - M.right + 16}" x2="${W - M.right + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${W - M.right + 46}" y="${ly + 4}">${esc(shape)}</text>`);
  });
  const ly = M.top + 10 + shapes.length * 20 + 8;
  out.push(`<line x1="${W - M.right + 16}" x2="${W - M.right + 40}" y1="${ly}" y2="${ly}" stroke="#444" stroke-width="2"/><text x="${W - M.right + 46}" y="${ly + 4}">work (chars lexed)</text>`);
  out.push(`<line x1="${W - M.right + 16}" x2="${W - M.right + 40}" y1="${ly + 18}" y2="${ly + 18}" stroke="#444" stroke-width="2" stroke-dasharray="6 4"/><text x="${W - M.right + 46}" y="${ly + 22}">time (µs)</text>`);
  out.push(`<text x="${W - M.right + 24}" y="${ly + 40}" text-anchor="middle" font-size="14">×</text><text x="${W - M.right + 46}" y="${ly + 40}">naive re-render</text>`);
  caption.split('\n').forEach((line, k) => out.push(`<text x="${W - M.right + 16}" y="${ly + 64 + k * 15}" fill="#555" font-size="11">${esc(line)}</text>`));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
