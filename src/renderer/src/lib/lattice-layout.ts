import type { Lattice } from '@shared/domain/decode';

/** Where the lattice view draws things, in layout units (x: px at zoom 1, y: px). */
export interface LatticeLayout {
  width: number;
  height: number;
  nodes: Map<number, { x: number; y: number }>;
  /** Per arc: its curve (quadratic Bézier from source through control to target) and label anchor. */
  arcs: { x1: number; y1: number; cx: number; cy: number; x2: number; y2: number; lx: number; ly: number }[];
}

const LANE_PX = 46;
/** Two nodes closer than this (px) in x may not share a lane. */
const MIN_NODE_GAP_PX = 26;

/**
 * Lays a lattice out by time: x is the node's time, y a lane. Nodes are placed in order of
 * the best posterior of an arc into them, each in the lane nearest the middle whose last
 * node is far enough to the left, so the likeliest path runs along the centre line.
 */
export function layoutLattice(lattice: Lattice, pxPerSec: number): LatticeLayout {
  const weight = new Map<number, number>();
  for (const arc of lattice.arcs) weight.set(arc.to, Math.max(weight.get(arc.to) ?? 0, arc.posterior));
  weight.set(lattice.start, Infinity);
  const xOf = (timeS: number) => 20 + timeS * pxPerSec;
  const lanes = new Map<number, number[]>();
  const nodes = new Map<number, { x: number; y: number }>();
  const byWeight = [...lattice.nodes].sort((a, b) => (weight.get(b.id) ?? 0) - (weight.get(a.id) ?? 0) || a.timeS - b.timeS);
  for (const node of byWeight) {
    const x = xOf(node.timeS);
    for (let k = 0; ; k++) {
      const lane = k % 2 === 0 ? k / 2 : -(k + 1) / 2;
      const taken = lanes.get(lane) ?? [];
      if (taken.every((tx) => Math.abs(tx - x) >= MIN_NODE_GAP_PX)) {
        lanes.set(lane, [...taken, x]);
        nodes.set(node.id, { x, y: lane * LANE_PX });
        break;
      }
    }
  }
  const laneKeys = [...lanes.keys()];
  const top = Math.min(0, ...laneKeys) * LANE_PX - LANE_PX;
  for (const p of nodes.values()) p.y -= top;
  const parallel = new Map<string, number>();
  const arcs = lattice.arcs.map((arc) => {
    const a = nodes.get(arc.from) ?? { x: 0, y: 0 };
    const b = nodes.get(arc.to) ?? { x: 0, y: 0 };
    const key = `${arc.from}>${arc.to}`;
    const nth = parallel.get(key) ?? 0;
    parallel.set(key, nth + 1);
    // Parallel arcs between one pair of nodes fan out above and below the straight line.
    const bend = nth === 0 ? 0 : (nth % 2 === 1 ? -1 : 1) * Math.ceil(nth / 2) * 18;
    const cx = (a.x + b.x) / 2;
    const cy = (a.y + b.y) / 2 + bend * 2;
    return { x1: a.x, y1: a.y, cx, cy, x2: b.x, y2: b.y, lx: cx, ly: (a.y + b.y) / 4 + cy / 2 };
  });
  const maxX = Math.max(0, ...[...nodes.values()].map((p) => p.x));
  return { width: maxX + 40, height: (Math.max(0, ...laneKeys) + 1) * LANE_PX - top, nodes, arcs };
}
