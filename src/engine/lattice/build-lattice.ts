/**
 * Word lattice from the search's final hypotheses. Each hypothesis becomes a path of word
 * arcs; paths that share a history (the same words ending at the same frames) share nodes,
 * so the result is a DAG whose paths include every n-best entry with its exact score.
 *
 * Node frames are boundaries: a word arc runs from the frame after the previous word to the
 * frame after its own last token, so the arcs of any path tile [0, numFrames) and every cut
 * through time crosses each path exactly once. Blank log-probs and word-boundary tokens are
 * charged to the word that follows them; what is left after the last word (trailing blanks,
 * merged alignments' extra probability, cancelled context bonuses) goes on a final null arc.
 */
import type { Lattice, LatticeArc, LatticeNode } from '../../shared/domain/decode';
import type { SearchHypothesis } from '../asr/search-types';
import type { TokenTable } from '../asr/tokens';
import { computePosteriors } from './posteriors';

/** The word of a null arc (no word: the end of a path). Writers map it to !NULL or <eps>. */
export const NULL_WORD = '';

interface WordSegment {
  word: string;
  endFrame: number;
  acoustic: number;
  bias: number;
}

export interface LatticeOptions {
  numFrames: number;
  frameShiftS: number;
  tokens: TokenTable;
}

export function buildLattice(hypotheses: readonly SearchHypothesis[], options: LatticeOptions): Lattice {
  const builder = new TrieBuilder(options.frameShiftS);
  const ends: { from: number; acoustic: number; bias: number }[] = [];
  for (const h of hypotheses) {
    let node = builder.start;
    let acoustic = 0;
    let bias = 0;
    for (const seg of wordSegments(h, options.tokens)) {
      node = builder.addArc(node, seg);
      acoustic += seg.acoustic;
      bias += seg.bias;
    }
    ends.push({ from: node, acoustic: h.acousticScore - acoustic, bias: h.biasScore - bias });
  }
  const end = builder.addNode(options.numFrames);
  for (const e of ends) builder.addArcTo(e.from, end, { word: NULL_WORD, endFrame: options.numFrames, acoustic: e.acoustic, bias: e.bias });
  const lattice = builder.finish(end);
  computePosteriors(lattice);
  return lattice;
}

/** Splits a hypothesis into words; boundary tokens and blanks go to the next word. */
function wordSegments(h: SearchHypothesis, tokens: TokenTable): WordSegment[] {
  const words: WordSegment[] = [];
  let word = '';
  let acoustic = 0;
  let bias = 0;
  let endFrame = 0;
  for (const t of h.tokens) {
    if (tokens.isWordBoundary(t.id) && word !== '') {
      words.push({ word, endFrame, acoustic, bias });
      word = '';
      acoustic = 0;
      bias = 0;
    }
    acoustic += t.blankLogProbBefore + t.logProb;
    bias += t.biasBonus;
    if (!tokens.isWordBoundary(t.id)) {
      word += tokens.symbol(t.id);
      endFrame = t.frame + 1;
    }
  }
  if (word !== '') words.push({ word, endFrame, acoustic, bias });
  return words;
}

class TrieBuilder {
  readonly start: number;
  private readonly nodes: LatticeNode[] = [];
  private readonly arcs: LatticeArc[] = [];
  private readonly childByKey = new Map<string, number>();
  private readonly arcKeys = new Set<string>();

  constructor(private readonly frameShiftS: number) {
    this.start = this.addNode(0);
  }

  addNode(frame: number): number {
    const id = this.nodes.length;
    this.nodes.push({ id, frame, timeS: frame * this.frameShiftS });
    return id;
  }

  addArc(from: number, seg: WordSegment): number {
    const key = `${from}|${seg.word}|${seg.endFrame}`;
    let to = this.childByKey.get(key);
    if (to === undefined) {
      to = this.addNode(seg.endFrame);
      this.childByKey.set(key, to);
    }
    this.addArcTo(from, to, seg);
    return to;
  }

  /** Identical arcs (two hypotheses with one history) are stored once; differing scores stay parallel. */
  addArcTo(from: number, to: number, seg: WordSegment): void {
    const key = `${from}|${to}|${seg.word}|${seg.acoustic.toFixed(5)}|${seg.bias.toFixed(5)}`;
    if (this.arcKeys.has(key)) return;
    this.arcKeys.add(key);
    this.arcs.push({
      from,
      to,
      word: seg.word,
      startFrame: this.nodes[from].frame,
      endFrame: seg.endFrame,
      acousticScore: seg.acoustic,
      biasScore: seg.bias,
      posterior: 0,
    });
  }

  /** Renumbers nodes in time order (ties keep creation order, which is topological). */
  finish(end: number): Lattice {
    const order = [...this.nodes].sort((a, b) => a.frame - b.frame || a.id - b.id);
    const newId = new Map(order.map((n, i) => [n.id, i]));
    const renumber = (id: number): number => newId.get(id) as number;
    return {
      frameShiftS: this.frameShiftS,
      nodes: order.map((n) => ({ ...n, id: renumber(n.id) })),
      arcs: this.arcs.map((a) => ({ ...a, from: renumber(a.from), to: renumber(a.to) })).sort((a, b) => a.from - b.from || a.to - b.to),
      start: renumber(this.start),
      end: renumber(end),
    };
  }
}
