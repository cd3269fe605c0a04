import type { Lattice } from '@shared/domain/decode';
import type { LatticeLayout } from './lattice-layout';
import { arcLabel, posteriorStep, stepColor, stepWidth } from './lattice-style';

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/**
 * The lattice as a standalone SVG document, drawn as the view draws it (same layout,
 * posterior colours and widths, the selected path highlighted), for papers and slides.
 */
export function latticeToSvg(
  lattice: Lattice,
  layout: LatticeLayout,
  options: { minPosterior: number; selected: Set<number>; colors: { faint: string; strong: string; selected: string; text: string; background: string } },
): string {
  const parts: string[] = [];
  lattice.arcs.forEach((arc, i) => {
    const selected = options.selected.has(i);
    if (arc.posterior < options.minPosterior && !selected) return;
    const p = layout.arcs[i];
    const step = posteriorStep(arc.posterior);
    const color = selected ? options.colors.selected : stepColor(step, options.colors.faint, options.colors.strong);
    parts.push(`<path d="M${p.x1},${p.y1}Q${p.cx},${p.cy} ${p.x2},${p.y2}" stroke="${color}" stroke-width="${(stepWidth(step) + (selected ? 1.5 : 0)).toFixed(2)}" fill="none"/>`);
    parts.push(`<text x="${p.lx}" y="${p.ly - 4}" text-anchor="middle">${escape(arcLabel(arc.word, arc.posterior))}</text>`);
  });
  for (const [id, n] of layout.nodes) parts.push(`<circle cx="${n.x}" cy="${n.y}" r="3.5"><title>node ${id}</title></circle>`);
  const { width, height } = layout;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="${options.colors.background}"/>`,
    `<g font-family="Inter, system-ui, sans-serif" font-size="10" fill="${options.colors.text}">`,
    ...parts,
    '</g></svg>',
  ].join('\n');
}
