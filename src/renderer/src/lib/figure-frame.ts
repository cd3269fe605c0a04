import * as d3 from 'd3';
import { xToTime, type TimeView } from './time-scale';

/**
 * A saved figure: the plot as the page draws it, framed with what makes it readable on its
 * own in a paper: a title, labelled axes with units, a legend and a colour scale. The page's
 * tracks share one time ruler and a gutter of labels; a saved file has neither, so it gets them here.
 */
export interface FigureAxis {
  label: string;
  domain: [number, number];
  /** Pixels of the plot the domain spans: [left, right] for x, [bottom, top] for y. */
  range: [number, number];
  format?: (v: number) => string;
}

/** The time axis of a track saved as a figure: the visible span, in seconds from the utterance start. */
export function trackTimeAxis(view: TimeView, originS: number): FigureAxis {
  return {
    label: 'time from utterance start (s)',
    domain: [xToTime(view, 0) - originS, xToTime(view, view.widthPx) - originS],
    range: [0, view.widthPx],
  };
}

export interface FigureSpec {
  title: string;
  x?: FigureAxis;
  yLeft?: FigureAxis;
  yRight?: FigureAxis;
  /** Named rows of equal height from the top (the attention map's entries). */
  rows?: { label: string; names: string[]; rowPx: number };
  legend?: { label: string; color: string; dashed?: boolean }[];
  colorScale?: { label: string; domain: [number, number]; colors: string[] };
}

export interface PlotImage {
  /** An <svg> element's markup, or an <image> for a canvas plot. */
  markup: string;
  width: number;
  height: number;
}

const FONT = 'font-family="sans-serif" fill="#222"';
const CHAR_PX = 6.2;
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const text = (x: number, y: number, s: string, extra = '', size = 11): string => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${FONT} font-size="${size}" ${extra}>${esc(s)}</text>`;
const defaultFormat = (v: number): string => d3.format('~g')(v);

function ticksOf(axis: FigureAxis, count: number): { at: number; label: string }[] {
  const scale = d3.scaleLinear(axis.domain, axis.range);
  return scale.ticks(count).map((v) => ({ at: scale(v), label: (axis.format ?? defaultFormat)(v) }));
}

/** The figure as a standalone SVG document. */
export function framedFigure(plot: PlotImage, spec: FigureSpec): { text: string; width: number; height: number } {
  const rowLabelPx = spec.rows ? Math.min(160, 12 + 6.5 * Math.max(...spec.rows.names.map((n) => n.length), 4)) : 0;
  const left = Math.max(spec.yLeft ? 64 : 16, rowLabelPx + (spec.rows ? 22 : 0));
  const right = spec.yRight ? 64 : 16;
  const legendRow = spec.legend?.length || spec.colorScale ? 22 : 0;
  const top = 26 + legendRow;
  const bottom = spec.x ? 44 : 12;
  const legendPx = (spec.legend ?? []).reduce((w, e) => w + 30 + e.label.length * CHAR_PX, 0) + (spec.colorScale ? spec.colorScale.label.length * CHAR_PX + 140 : 0);
  const width = Math.round(Math.max(left + plot.width + right, left + legendPx + 16));
  const height = Math.round(top + plot.height + bottom);
  const parts: string[] = [`<rect width="${width}" height="${height}" fill="#ffffff"/>`, text(left, 16, spec.title, 'font-weight="600"', 13)];

  // Legend entries and the colour scale share the row under the title.
  let lx = left;
  for (const entry of spec.legend ?? []) {
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${top - 14}" y2="${top - 14}" stroke="${entry.color}" stroke-width="2"${entry.dashed ? ' stroke-dasharray="4 3"' : ''}/>`);
    parts.push(text(lx + 22, top - 10, entry.label));
    lx += 30 + entry.label.length * CHAR_PX;
  }
  if (spec.colorScale) {
    const { label, domain, colors } = spec.colorScale;
    const stops = colors.map((c, i) => `<stop offset="${(i / Math.max(1, colors.length - 1)).toFixed(3)}" stop-color="${c}"/>`).join('');
    parts.push(`<defs><linearGradient id="figure-scale">${stops}</linearGradient></defs>`);
    parts.push(text(lx, top - 10, `${label}:`));
    const bx = lx + label.length * CHAR_PX + 10;
    parts.push(text(bx, top - 10, defaultFormat(domain[0])));
    parts.push(`<rect x="${bx + 12}" y="${top - 20}" width="90" height="10" fill="url(#figure-scale)" stroke="#888" stroke-width="0.5"/>`);
    parts.push(text(bx + 106, top - 10, defaultFormat(domain[1])));
  }

  parts.push(`<g transform="translate(${left},${top})">${plot.markup}</g>`);
  parts.push(`<rect x="${left}" y="${top}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#888" stroke-width="0.75"/>`);

  if (spec.x) {
    const y0 = top + plot.height;
    for (const t of ticksOf(spec.x, Math.max(2, Math.floor(plot.width / 80)))) {
      const x = left + t.at;
      parts.push(`<line x1="${x}" x2="${x}" y1="${y0}" y2="${y0 + 5}" stroke="#444"/>`);
      parts.push(text(x, y0 + 17, t.label, 'text-anchor="middle"'));
    }
    parts.push(text(left + plot.width / 2, y0 + 36, spec.x.label, 'text-anchor="middle"'));
  }
  for (const [axis, side] of [
    [spec.yLeft, 'left'],
    [spec.yRight, 'right'],
  ] as const) {
    if (!axis) continue;
    const x0 = side === 'left' ? left : left + plot.width;
    const dir = side === 'left' ? -1 : 1;
    for (const t of ticksOf(axis, Math.max(2, Math.floor(Math.abs(axis.range[0] - axis.range[1]) / 25)))) {
      const y = top + t.at;
      parts.push(`<line x1="${x0}" x2="${x0 + dir * 5}" y1="${y}" y2="${y}" stroke="#444"/>`);
      parts.push(text(x0 + dir * 8, y + 4, t.label, `text-anchor="${side === 'left' ? 'end' : 'start'}"`));
    }
    const cy = top + (axis.range[0] + axis.range[1]) / 2;
    const cx = side === 'left' ? 14 : width - 10;
    parts.push(text(cx, cy, axis.label, `text-anchor="middle" transform="rotate(-90 ${cx} ${cy})"`));
  }
  if (spec.rows) {
    const { label, names, rowPx } = spec.rows;
    names.forEach((name, i) => parts.push(text(left - 6, top + (i + 0.5) * rowPx + 4, name, 'text-anchor="end"')));
    const cy = top + (names.length * rowPx) / 2;
    parts.push(text(12, cy, label, `text-anchor="middle" transform="rotate(-90 12 ${cy})"`));
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
  return { text: svg, width, height };
}
