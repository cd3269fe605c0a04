/** The lattice as JSON: the API's `Lattice` shape, scores rounded to keep files small. */
import type { Lattice } from '../../shared/domain/decode';

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The lattice with its scores rounded, as decode lines and JSON exports carry it. */
export function roundedLattice(lattice: Lattice): Lattice {
  return {
    ...lattice,
    arcs: lattice.arcs.map((a) => ({ ...a, acousticScore: round(a.acousticScore), biasScore: round(a.biasScore), posterior: round(a.posterior) })),
  };
}

export function writeLatticeJson(lattice: Lattice): string {
  return JSON.stringify(roundedLattice(lattice));
}

export function readLatticeJson(text: string): Lattice {
  const l = JSON.parse(text) as Lattice;
  if (!Array.isArray(l.nodes) || !Array.isArray(l.arcs) || typeof l.start !== 'number' || typeof l.end !== 'number') {
    throw new Error('not a lattice: expected nodes, arcs, start and end');
  }
  return l;
}
