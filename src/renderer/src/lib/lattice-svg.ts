import type { Lattice } from '@shared/domain/decode';
import type { LatticeLayout } from './lattice-layout';
import { placeArcLabels } from './lattice-labels';
import { posteriorStep, stepColor, stepWidth } from './lattice-style';
import type { FigureSpec, PlotImage } from './figure-frame';

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/**
 * The lattice as a figure, drawn as the view draws it (same layout, posterior colours and
 * widths, the selected path highlighted, the same non-overlapping labels), with a time axis,
 * for papers and slides.
 */
export function latticeFigure(
  lattice: Lattice,
  layout: LatticeLayout,
  options: { minPosterior: number; selected: Set<number>; colors: { faint: string; strong: string; selected: string; text: string } },
): { plot: PlotImage; spec: FigureSpec } {
  const parts: string[] = [];
  const visible: number[] = [];
  lattice.arcs.forEach((arc, i) => {
    const selected = options.selected.has(i);
    if (arc.posterior < options.minPosterior && !selected) return;
    visible.push(i);
    const p = layout.arcs[i];
    const step = posteriorStep(arc.posterior);
    const color = selected ? options.colors.selected : stepColor(step, options.colors.faint, options.colors.strong);
    parts.push(`<path d="M${p.x1},${p.y1}Q${p.cx},${p.cy} ${p.x2},${p.y2}" stroke="${color}" stroke-width="${(stepWidth(step) + (selected ? 1.5 : 0)).toFixed(2)}" fill="none"/>`);
  });
  for (const label of placeArcLabels(lattice, layout, visible, (x) => x, (y) => y)) {
    parts.push(`<text x="${label.x}" y="${label.y}" text-anchor="middle">${escape(label.text)}</text>`);
  }
  for (const [id, n] of layout.nodes) parts.push(`<circle cx="${n.x}" cy="${n.y}" r="3.5"><title>node ${id}</title></circle>`);
  const { width, height, originX, pxPerSec } = layout;
  const markup = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<g font-family="Inter, system-ui, sans-serif" font-size="10.5" fill="${options.colors.text}">`,
    ...parts,
    '</g></svg>',
  ].join('\n');
  return {
    plot: { markup, width, height },
    spec: {
      title: 'Word lattice (arc colour and width: posterior)',
      x: { label: 'time from utterance start (s)', domain: [0, (width - originX) / pxPerSec], range: [originX, width] },
      legend: [
        { label: 'likely arc', color: options.colors.strong },
        { label: 'unlikely arc', color: options.colors.faint },
        { label: 'selected path', color: options.colors.selected },
      ],
    },
  };
}
