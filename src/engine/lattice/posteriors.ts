/**
 * Forward-backward over a word lattice in log space. An arc's score is
 * acousticScale × acoustic + bias; its posterior is the probability mass of the paths
 * through it, so the posteriors of the arcs crossing any point in time sum to 1.
 */
import type { Lattice } from '../../shared/domain/decode';
import { logAdd } from '../asr/log-softmax';

/** Fills `posterior` on every arc (nodes must be in topological order); returns log P(all paths). */
export function computePosteriors(lattice: Lattice, acousticScale = 1): number {
  const n = lattice.nodes.length;
  const alpha = new Float64Array(n).fill(-Infinity);
  const beta = new Float64Array(n).fill(-Infinity);
  alpha[lattice.start] = 0;
  beta[lattice.end] = 0;
  const score = lattice.arcs.map((a) => acousticScale * a.acousticScore + a.biasScore);
  // Arcs sorted by source node give a forward pass; the reverse order a backward pass.
  const forward = lattice.arcs.map((_, i) => i).sort((i, j) => lattice.arcs[i].from - lattice.arcs[j].from);
  for (const i of forward) {
    const a = lattice.arcs[i];
    alpha[a.to] = logAdd(alpha[a.to], alpha[a.from] + score[i]);
  }
  const backward = lattice.arcs.map((_, i) => i).sort((i, j) => lattice.arcs[j].to - lattice.arcs[i].to);
  for (const i of backward) {
    const a = lattice.arcs[i];
    beta[a.from] = logAdd(beta[a.from], beta[a.to] + score[i]);
  }
  const total = alpha[lattice.end];
  lattice.arcs.forEach((a, i) => {
    a.posterior = total === -Infinity ? 0 : Math.exp(alpha[a.from] + score[i] + beta[a.to] - total);
  });
  return total;
}
