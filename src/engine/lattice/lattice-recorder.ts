/**
 * Collects word arcs while a search runs, and turns them into a Lattice.
 *
 * A node is a word boundary: the encoder frame at which the next word's first token was
 * emitted, plus its rank when one path crosses several boundaries in one frame. Paths whose
 * words end at the same boundary share its node, so every word recorded from there follows each
 * of them: the word-pair approximation of lattice generation, with time-conditioned nodes. An
 * arc spans its word and the blanks after it, so the arcs of a path tile the frames. Arcs with
 * the same ends and word keep the best score (Viterbi); arcs that reach no end are dropped.
 */
import type { Lattice, LatticeArc, LatticeNode } from '../../shared/domain/decode';
import { computePosteriors } from './posteriors';

/** The word of a null arc (no word: the end of a path). Writers map it to !NULL or <eps>. */
export const NULL_WORD = '';

/** Ranks per frame in a node key; above any tokens-per-frame limit (max 10). */
const RANK_STRIDE = 64;

interface RecordedArc {
  from: number;
  to: number;
  word: string;
  acoustic: number;
  bias: number;
}

export class LatticeRecorder {
  readonly start: number;
  readonly end: number;
  private readonly frames: number[] = [];
  private readonly ranks: number[] = [];
  private readonly nodeByKey = new Map<number, number>();
  private readonly arcs: RecordedArc[] = [];
  private readonly arcByKey = new Map<string, number>();

  constructor() {
    this.start = this.boundary(0, -1);
    // The end's frame is known only at finish; its rank sorts it after every boundary there.
    this.end = this.newNode(Infinity, RANK_STRIDE);
  }

  /** The node of the `rank`-th word boundary one path crosses in `frame` (0 for the first). */
  boundary(frame: number, rank: number): number {
    const key = frame * RANK_STRIDE + rank + 1;
    let id = this.nodeByKey.get(key);
    if (id === undefined) {
      id = this.newNode(frame, rank);
      this.nodeByKey.set(key, id);
    }
    return id;
  }

  addWord(from: number, to: number, word: string, acoustic: number, bias: number): void {
    const key = `${from}|${to}|${word}`;
    const at = this.arcByKey.get(key);
    if (at === undefined) {
      this.arcByKey.set(key, this.arcs.length);
      this.arcs.push({ from, to, word, acoustic, bias });
      return;
    }
    const kept = this.arcs[at];
    if (acoustic + bias > kept.acoustic + kept.bias) {
      kept.acoustic = acoustic;
      kept.bias = bias;
    }
  }

  /** An independent copy, so a snapshot's unfinished paths never enter the lattice still being recorded. */
  copy(): LatticeRecorder {
    const c = new LatticeRecorder();
    c.frames.length = 0;
    c.ranks.length = 0;
    for (const f of this.frames) c.frames.push(f);
    for (const r of this.ranks) c.ranks.push(r);
    for (const [k, v] of this.nodeByKey) c.nodeByKey.set(k, v);
    for (const a of this.arcs) c.arcs.push({ ...a });
    for (const [k, v] of this.arcByKey) c.arcByKey.set(k, v);
    return c;
  }

  /** Arcs recorded so far, dead ends included. */
  get size(): number {
    return this.arcs.length;
  }

  /** The lattice of the arcs on some start→end path, nodes in time order, with posteriors. */
  finish(numFrames: number, frameShiftS: number): Lattice {
    this.frames[this.end] = numFrames;
    const live = this.arcsOnPaths();
    const used = new Set<number>([this.start, this.end]);
    for (const a of live) used.add(a.from).add(a.to);
    const order = [...used].sort((a, b) => this.frames[a] - this.frames[b] || this.ranks[a] - this.ranks[b]);
    const newId = new Map(order.map((node, i) => [node, i]));
    const id = (node: number): number => newId.get(node) as number;
    const nodes: LatticeNode[] = order.map((node, i) => ({ id: i, frame: this.frames[node], timeS: this.frames[node] * frameShiftS }));
    const arcs: LatticeArc[] = live
      .map((a) => ({
        from: id(a.from),
        to: id(a.to),
        word: a.word,
        startFrame: this.frames[a.from],
        endFrame: this.frames[a.to],
        acousticScore: a.acoustic,
        biasScore: a.bias,
        posterior: 0,
      }))
      .sort((a, b) => a.from - b.from || a.to - b.to || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    const lattice: Lattice = { frameShiftS, nodes, arcs, start: id(this.start), end: id(this.end) };
    computePosteriors(lattice);
    return lattice;
  }

  private newNode(frame: number, rank: number): number {
    this.frames.push(frame);
    this.ranks.push(rank);
    return this.frames.length - 1;
  }

  /** Arcs reachable from the start and reaching the end. */
  private arcsOnPaths(): RecordedArc[] {
    const fromStart = new Set<number>([this.start]);
    const toEnd = new Set<number>([this.end]);
    // Node numbers are not in time order; arcs sorted by their source's time are.
    const timeOf = (n: number): number => this.frames[n] * RANK_STRIDE + this.ranks[n];
    const forward = [...this.arcs].sort((a, b) => timeOf(a.from) - timeOf(b.from));
    for (const a of forward) if (fromStart.has(a.from)) fromStart.add(a.to);
    for (let i = forward.length - 1; i >= 0; i--) {
      const a = forward[i];
      if (toEnd.has(a.to)) toEnd.add(a.from);
    }
    return this.arcs.filter((a) => fromStart.has(a.from) && toEnd.has(a.to));
  }
}
