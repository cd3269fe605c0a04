import type { Lattice } from '@shared/domain/decode';
import type { LatticeLayout } from './lattice-layout';
import { arcLabel, isEpsilon } from './lattice-style';

/** Width of one character of the 10.5 px label font. */
const CHAR_PX = 5.8;
const LINE_PX = 11;
/** Past a few hundred labels, text costs more than a frame allows and nobody reads it. */
const MAX_LABELS = 400;

export interface PlacedLabel {
  arc: number;
  text: string;
  x: number;
  y: number;
}

/** What an arc may be called, longest first: with its LM score (after rescoring), word and posterior, the word, then the word cut short. */
function candidates(word: string, posterior: number, lmScore: number | undefined): string[] {
  const name = isEpsilon(word) ? 'ε' : word;
  const cut = name.length > 4 ? [`${name.slice(0, 3)}…`] : [];
  return [...(lmScore === undefined ? [] : [arcLabel(word, posterior, lmScore), `${name} lm ${lmScore.toFixed(1)}`]), arcLabel(word, posterior), name, ...cut];
}

/**
 * Labels for the visible arcs, likeliest first, none over another: each arc gets the longest
 * of its names that fits beside those already placed, so that at Fit the likely words still
 * read (abbreviated where they must be) instead of vanishing. `sx`/`sy` map layout to screen.
 */
export function placeArcLabels(lattice: Lattice, layout: LatticeLayout, visible: readonly number[], sx: (x: number) => number, sy: (y: number) => number): PlacedLabel[] {
  const placed: { x0: number; x1: number; y: number }[] = [];
  const out: PlacedLabel[] = [];
  const order = [...visible].sort((a, b) => lattice.arcs[b].posterior - lattice.arcs[a].posterior);
  for (const i of order) {
    if (out.length >= MAX_LABELS) break;
    const g = layout.arcs[i];
    const x = sx(g.lx);
    const y = sy(g.ly) - 5;
    for (const text of candidates(lattice.arcs[i].word, lattice.arcs[i].posterior, lattice.arcs[i].lmScore)) {
      const half = (text.length * CHAR_PX) / 2 + 1;
      if (placed.some((p) => Math.abs(p.y - y) < LINE_PX && p.x0 < x + half && x - half < p.x1)) continue;
      placed.push({ x0: x - half, x1: x + half, y });
      out.push({ arc: i, text, x, y });
      break;
    }
  }
  return out;
}
