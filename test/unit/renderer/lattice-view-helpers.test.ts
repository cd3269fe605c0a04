import { describe, expect, it } from 'vitest';
import type { Lattice, LatticeArc } from '../../../src/shared/domain/decode';
import { bestPathThrough, pathForText, pathWords } from '../../../src/renderer/src/lib/lattice-paths';
import { layoutLattice } from '../../../src/renderer/src/lib/lattice-layout';
import { latticeFigure } from '../../../src/renderer/src/lib/lattice-svg';
import { placeArcLabels } from '../../../src/renderer/src/lib/lattice-labels';
import { framedFigure } from '../../../src/renderer/src/lib/figure-frame';
import { keepApart, spreadApart } from '../../../src/renderer/src/lib/label-layout';

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

  it('exports a figure that holds every shown arc with its word and posterior, and a time axis', () => {
    const { plot, spec } = latticeFigure(lattice, layoutLattice(lattice, 100), {
      minPosterior: 0.5,
      selected: new Set([2]),
      colors: { faint: '#ccc', strong: '#00f', selected: '#f80', text: '#000' },
    });
    const svg = framedFigure(plot, spec).text;
    expect(svg).toMatch(/^<svg xmlns/);
    expect(svg).toContain('anna 0.80');
    // Pruned below 0.5, but kept because it is on the selected path (its label shortened beside "call 1.00").
    expect(svg).toContain('>and<');
    expect(svg).not.toContain('>a 0.20');
    expect(svg).toContain('time from utterance start (s)');
    expect(svg).toContain('>1<');
  });
});

describe('lattice labels', () => {
  it('abbreviates rather than drops a word that has no room, and never overlaps two', () => {
    const layout = layoutLattice(lattice, 100);
    // Squeezed to a tenth: the arcs are a few pixels long.
    const labels = placeArcLabels(lattice, layout, [0, 1, 2, 3, 4], (x) => x / 10, (y) => y);
    expect(labels[0]).toMatchObject({ arc: 0 });
    const texts = labels.map((l) => l.text);
    expect(texts.some((t) => t === 'call' || t.startsWith('call') || t === 'cal…')).toBe(true);
    for (const a of labels)
      for (const b of labels)
        if (a !== b && Math.abs(a.y - b.y) < 11) expect(Math.abs(a.x - b.x) * 2).toBeGreaterThanOrEqual((a.text.length + b.text.length) * 5.8 / 2);
  });
});

describe('label layouts', () => {
  it('spreads labels apart by the least movement, inside the bounds', () => {
    expect(spreadApart([50, 52, 90], 10, 0, 100)).toEqual([50, 60, 90]);
    expect(spreadApart([98, 99], 10, 0, 100)).toEqual([90, 100]);
    expect(spreadApart([30, 10, 12], 10, 0, 100)).toEqual([30, 10, 20]);
  });

  it('keeps the more important of two clashing labels', () => {
    expect(keepApart([[0, 10], [5, 15], [20, 30]], [1, 2, 0])).toEqual([false, true, true]);
  });
});
