import { describe, expect, it } from 'vitest';
import type { Lattice, LatticeArc } from '../../../src/shared/domain/decode';
import { bestPathThrough, pathForText, pathWords } from '../../../src/renderer/src/lib/lattice-paths';
import { layoutLattice } from '../../../src/renderer/src/lib/lattice-layout';
import { latticeToSvg } from '../../../src/renderer/src/lib/lattice-svg';

/** A hand-made lattice: "call anna" (likely) and "call and a" (less likely) share "call". */
function arc(from: number, to: number, word: string, score: number, posterior: number): LatticeArc {
  return { from, to, word, startFrame: from * 10, endFrame: to * 10, acousticScore: score, biasScore: 0, posterior };
}
const lattice: Lattice = {
  frameShiftS: 0.04,
  nodes: [0, 1, 2, 3, 4].map((id) => ({ id, frame: id * 10, timeS: id * 0.4 })),
  arcs: [arc(0, 1, 'call', -1, 1), arc(1, 3, 'anna', -1, 0.8), arc(1, 2, 'and', -2, 0.2), arc(2, 3, 'a', -1, 0.2), arc(3, 4, '<eps>', 0, 1)],
  start: 0,
  end: 4,
};

describe('lattice paths', () => {
  it('selects the best path through a clicked arc', () => {
    expect(pathWords(lattice, bestPathThrough(lattice, 2))).toEqual(['call', 'and', 'a']);
    expect(pathWords(lattice, bestPathThrough(lattice, 0))).toEqual(['call', 'anna']);
  });

  it('finds the path of an n-best entry, or none', () => {
    expect(pathForText(lattice, 'call and a')).toEqual([0, 2, 3, 4]);
    expect(pathForText(lattice, 'call bob')).toBeNull();
  });
});

describe('lattice layout', () => {
  it('places nodes by time and the likeliest path on the centre lane', () => {
    const layout = layoutLattice(lattice, 100);
    const y = (id: number) => layout.nodes.get(id)!.y;
    expect(layout.nodes.get(3)!.x).toBeGreaterThan(layout.nodes.get(1)!.x);
    expect(y(0)).toBe(y(1));
    expect(y(1)).toBe(y(3));
    expect(layout.arcs).toHaveLength(lattice.arcs.length);
  });

  it('exports an SVG that holds every shown arc with its word and posterior', () => {
    const svg = latticeToSvg(lattice, layoutLattice(lattice, 100), {
      minPosterior: 0.5,
      selected: new Set([2]),
      colors: { faint: '#ccc', strong: '#00f', selected: '#f80', text: '#000', background: '#fff' },
    });
    expect(svg).toMatch(/^<svg xmlns/);
    expect(svg).toContain('anna 0.80');
    // Pruned below 0.5, but kept because it is on the selected path.
    expect(svg).toContain('and 0.20');
    expect(svg).not.toContain('>a 0.20');
  });
});
