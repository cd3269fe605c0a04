import type { Lattice, LatticeArc } from '@shared/domain/decode';
import { isEpsilon } from './lattice-style';

/** An arc's total score: what the search ranked the path by. */
const arcScore = (arc: LatticeArc): number => arc.acousticScore + arc.biasScore;

/** Index lists of the arcs leaving and entering each node id. */
function adjacency(lattice: Lattice): { out: Map<number, number[]>; into: Map<number, number[]> } {
  const out = new Map<number, number[]>();
  const into = new Map<number, number[]>();
  lattice.arcs.forEach((arc, i) => {
    (out.get(arc.from) ?? out.set(arc.from, []).get(arc.from)!).push(i);
    (into.get(arc.to) ?? into.set(arc.to, []).get(arc.to)!).push(i);
  });
  return { out, into };
}

/**
 * The best-scoring path from `start` to `end` that goes through arc `through`: the best
 * prefix to its source node, the arc, and the best suffix from its target node. Nodes are
 * in topological order, so one forward and one backward Viterbi pass suffice.
 */
export function bestPathThrough(lattice: Lattice, through: number): number[] {
  const { out, into } = adjacency(lattice);
  const order = lattice.nodes.map((n) => n.id);
  const fwd = new Map<number, { score: number; arc: number }>([[lattice.start, { score: 0, arc: -1 }]]);
  for (const id of order) {
    for (const a of into.get(id) ?? []) {
      const prev = fwd.get(lattice.arcs[a].from);
      if (!prev) continue;
      const score = prev.score + arcScore(lattice.arcs[a]);
      if (score > (fwd.get(id)?.score ?? -Infinity)) fwd.set(id, { score, arc: a });
    }
  }
  const bwd = new Map<number, { score: number; arc: number }>([[lattice.end, { score: 0, arc: -1 }]]);
  for (const id of [...order].reverse()) {
    for (const a of out.get(id) ?? []) {
      const next = bwd.get(lattice.arcs[a].to);
      if (!next) continue;
      const score = next.score + arcScore(lattice.arcs[a]);
      if (score > (bwd.get(id)?.score ?? -Infinity)) bwd.set(id, { score, arc: a });
    }
  }
  const path: number[] = [];
  for (let node = lattice.arcs[through].from, step = fwd.get(node); step && step.arc >= 0; node = lattice.arcs[step.arc].from, step = fwd.get(node)) {
    path.unshift(step.arc);
  }
  path.push(through);
  for (let node = lattice.arcs[through].to, step = bwd.get(node); step && step.arc >= 0; node = lattice.arcs[step.arc].to, step = bwd.get(node)) {
    path.push(step.arc);
  }
  return path;
}

/** The words a path spells, without the lattice's empty (epsilon) arcs. */
export function pathWords(lattice: Lattice, path: number[]): string[] {
  return path.map((a) => lattice.arcs[a].word).filter((w) => !isEpsilon(w));
}

const normalise = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/**
 * The best-scoring path whose words are exactly `text` (an n-best entry), or null when the
 * lattice holds no such path. Dynamic programming over (node, words matched so far).
 */
export function pathForText(lattice: Lattice, text: string): number[] | null {
  const words = normalise(text);
  const { into } = adjacency(lattice);
  type Cell = { score: number; arc: number; prev: number };
  const best = new Map<string, Cell>([[`${lattice.start}:0`, { score: 0, arc: -1, prev: -1 }]]);
  for (const node of lattice.nodes) {
    for (const a of into.get(node.id) ?? []) {
      const arc = lattice.arcs[a];
      const epsilon = isEpsilon(arc.word);
      for (let k = 0; k <= words.length; k++) {
        const prev = best.get(`${arc.from}:${k}`);
        if (!prev) continue;
        const nk = epsilon ? k : words[k] === arc.word ? k + 1 : -1;
        if (nk < 0) continue;
        const key = `${node.id}:${nk}`;
        const score = prev.score + arcScore(arc);
        if (score > (best.get(key)?.score ?? -Infinity)) best.set(key, { score, arc: a, prev: k });
      }
    }
  }
  if (!best.has(`${lattice.end}:${words.length}`)) return null;
  const path: number[] = [];
  for (let node = lattice.end, k = words.length, cell = best.get(`${node}:${k}`); cell && cell.arc >= 0; ) {
    path.unshift(cell.arc);
    node = lattice.arcs[cell.arc].from;
    k = cell.prev;
    cell = best.get(`${node}:${k}`);
  }
  return path;
}
