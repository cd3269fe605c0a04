import * as d3 from 'd3';
import type { Lattice } from '@shared/domain/decode';

/** Where the lattice view draws things, in layout units (x: px at zoom 1, y: px). */
export interface LatticeLayout {
  /** x of a time t (s) is originX + t × pxPerSec. */
  pxPerSec: number;
  originX: number;
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
 * node is far enough to the left, so the likeliest path runs along the centre line. The x
 * scale is at least `minPxPerSec`, and more for a dense lattice, so that nodes spread along
 * time rather than pile up into many lanes (the view then zooms x to fit).
 */
export function layoutLattice(lattice: Lattice, minPxPerSec: number): LatticeLayout {
  const spanS = Math.max(1e-3, lattice.nodes.reduce((end, n) => Math.max(end, n.timeS), 0));
  const pxPerSec = Math.max(minPxPerSec, (MIN_NODE_GAP_PX * 1.2 * lattice.nodes.length) / spanS);
  const weight = new Map<number, number>();
  for (const arc of lattice.arcs) weight.set(arc.to, Math.max(weight.get(arc.to) ?? 0, arc.posterior));
  weight.set(lattice.start, Infinity);
  const originX = 20;
  const xOf = (timeS: number) => originX + timeS * pxPerSec;
  const lanes = new Map<number, number[]>();
  const nodes = new Map<number, { x: number; y: number }>();
  const byWeight = [...lattice.nodes].sort((a, b) => (weight.get(b.id) ?? 0) - (weight.get(a.id) ?? 0) || a.timeS - b.timeS);
  for (const node of byWeight) {
    const x = xOf(node.timeS);
    for (let k = 0; ; k++) {
      const lane = k % 2 === 0 ? k / 2 : -(k + 1) / 2;
      const taken = lanes.get(lane) ?? [];
      if (taken.every((tx) => Math.abs(tx - x) >= MIN_NODE_GAP_PX)) {
        taken.push(x);
        lanes.set(lane, taken);
        nodes.set(node.id, { x, y: lane * LANE_PX });
        break;
      }
    }
  }
  const laneKeys = [...lanes.keys()];
  const top = Math.min(0, ...laneKeys) * LANE_PX - LANE_PX;
  for (const p of nodes.values()) p.y -= top;
  const laneXs = new Map([...lanes].map(([lane, xs]) => [lane * LANE_PX - top, xs.sort((p, q) => p - q)]));
  const parallel = new Map<string, number>();
  const arcs = lattice.arcs.map((arc) => {
    const a = nodes.get(arc.from) ?? { x: 0, y: 0 };
    const b = nodes.get(arc.to) ?? { x: 0, y: 0 };
    const key = `${arc.from}>${arc.to}`;
    const nth = parallel.get(key) ?? 0;
    parallel.set(key, nth + 1);
    // Parallel arcs between one pair of nodes fan out above and below the straight line.
    let bend = nth === 0 ? 0 : (nth % 2 === 1 ? -1 : 1) * Math.ceil(nth / 2) * 36;
    // An arc along a lane that passes over nodes of that lane bows above them, higher the more it skips.
    const xs = a.y === b.y ? laneXs.get(a.y) : undefined;
    const skipped = xs ? d3.bisectLeft(xs, Math.max(a.x, b.x)) - d3.bisectRight(xs, Math.min(a.x, b.x)) : 0;
    if (skipped > 0) bend -= 16 + 8 * Math.min(skipped, 4);
    const cx = (a.x + b.x) / 2;
    const cy = (a.y + b.y) / 2 + bend;
    return { x1: a.x, y1: a.y, cx, cy, x2: b.x, y2: b.y, lx: cx, ly: (a.y + b.y) / 4 + cy / 2 };
  });
  const maxX = [...nodes.values()].reduce((max, p) => Math.max(max, p.x), 0);
  return { pxPerSec, originX, width: maxX + 40, height: (Math.max(0, ...laneKeys) + 1) * LANE_PX - top, nodes, arcs };
}
