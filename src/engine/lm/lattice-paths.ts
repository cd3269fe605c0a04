/**
 * The k best paths of a word lattice by first-pass score (acoustic + bias), best first: what the cloud
 * rescores when a lattice comes with the n-best. Nodes must be in topological order (the Lattice contract).
 */
import type { Lattice } from '../../shared/domain/decode';

export interface LatticePath {
  /** Arc indices from start to end. */
  arcs: number[];
  /** Words of the path (null arcs, the empty word, left out). */
  words: string[];
  acoustic: number;
  bias: number;
}

interface Entry {
  score: number;
  arc: number;
  /** Rank of the entry at the arc's source node this one extends (-1 at the start). */
  prevRank: number;
}

/** Why a lattice cannot be searched (arcs to unknown nodes, arcs against the node order), or null. */
export function latticeShapeProblem(lattice: Lattice): string | null {
  const order = new Map(lattice.nodes.map((n, i) => [n.id, i]));
  if (!order.has(lattice.start) || !order.has(lattice.end)) return 'its start or end is not one of its nodes';
  const bad = lattice.arcs.findIndex((a) => !order.has(a.from) || !order.has(a.to) || order.get(a.from)! >= order.get(a.to)!);
  return bad < 0 ? null : `arc ${bad} does not go from a node to a later one`;
}

export function kBestLatticePaths(lattice: Lattice, k: number): LatticePath[] {
  const problem = latticeShapeProblem(lattice);
  if (problem) throw new Error(`the lattice cannot be rescored: ${problem}`);
  const order = new Map(lattice.nodes.map((n, i) => [n.id, i]));
  const incoming: number[][] = lattice.nodes.map(() => []);
  lattice.arcs.forEach((a, i) => incoming[order.get(a.to)!].push(i));
  const best: Entry[][] = lattice.nodes.map(() => []);
  best[order.get(lattice.start)!] = [{ score: 0, arc: -1, prevRank: -1 }];
  for (let v = 0; v < lattice.nodes.length; v++) {
    if (lattice.nodes[v].id === lattice.start) continue;
    const entries: Entry[] = [];
    for (const i of incoming[v]) {
      const a = lattice.arcs[i];
      const arcScore = a.acousticScore + a.biasScore;
      best[order.get(a.from)!].forEach((e, rank) => entries.push({ score: e.score + arcScore, arc: i, prevRank: rank }));
    }
    best[v] = entries.sort((x, y) => y.score - x.score).slice(0, k);
  }
  return best[order.get(lattice.end)!].map((_, rank) => {
    const arcs: number[] = [];
    let v = order.get(lattice.end)!;
    for (let r = rank; best[v][r].arc >= 0; ) {
      const e = best[v][r];
      arcs.push(e.arc);
      v = order.get(lattice.arcs[e.arc].from)!;
      r = e.prevRank;
    }
    arcs.reverse();
    const path = arcs.map((i) => lattice.arcs[i]);
    return {
      arcs,
      words: path.filter((a) => a.word !== '').map((a) => a.word),
      acoustic: path.reduce((s, a) => s + a.acousticScore, 0),
      bias: path.reduce((s, a) => s + a.biasScore, 0),
    };
  });
}
