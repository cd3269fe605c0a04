/**
 * The cloud language model (training/lm/train.py): a word-piece LSTM exported as one ONNX step
 * (token, state → next-piece log-probabilities, state). The sentences of one call are scored together
 * through a prefix tree of their pieces, one batched step per depth, so hypotheses that share a beginning
 * (as lattice paths do) pay for it once.
 */
import * as ort from 'onnxruntime-node';
import { OrtSession } from '../asr/ort-session';
import type { LanguageModel } from './language-model';
import { wordPieceIds, type WordPieceTable } from './word-pieces';

export interface NeuralLmConfig {
  layers: number;
  dim: number;
  vocabSize: number;
  bosId: number;
  eosId: number;
}

interface TrieNode {
  token: number;
  depth: number;
  parent: number;
  children: Map<number, number>;
  /** Log-probabilities of the next piece after this node (filled when the node is run). */
  next?: Float32Array;
}

export class NeuralLanguageModel implements LanguageModel {
  readonly kind = 'neural';
  private readonly session: OrtSession;
  private readonly pieceCache = new Map<string, number[]>();

  constructor(
    readonly name: string,
    readonly path: string,
    onnxPath: string,
    private readonly pieces: WordPieceTable,
    private readonly config: NeuralLmConfig,
  ) {
    // One thread: the cloud side scores many utterances side by side, one per core.
    this.session = new OrtSession(onnxPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  }

  private piecesOf(word: string): number[] {
    let ids = this.pieceCache.get(word);
    if (!ids) {
      ids = wordPieceIds(this.pieces, word);
      this.pieceCache.set(word, ids);
    }
    return ids;
  }

  scoreWords(sentences: readonly (readonly string[])[]): Promise<number[][]> {
    return Promise.resolve(this.scoreWordsSync(sentences));
  }

  scoreWordsSync(sentences: readonly (readonly string[])[]): number[][] {
    const { bosId, eosId } = this.config;
    const nodes: TrieNode[] = [{ token: bosId, depth: 0, parent: -1, children: new Map() }];
    // Per sentence: the trie node after each word's last piece (the first entry is the root).
    const wordEnds = sentences.map((words) => {
      const ends = [0];
      let at = 0;
      for (const word of words) {
        for (const id of this.piecesOf(word)) {
          let child = nodes[at].children.get(id);
          if (child === undefined) {
            child = nodes.length;
            nodes.push({ token: id, depth: nodes[at].depth + 1, parent: at, children: new Map() });
            nodes[at].children.set(id, child);
          }
          at = child;
        }
        ends.push(at);
      }
      return ends;
    });
    this.runTrie(nodes);
    return sentences.map((words, s) => {
      const ends = wordEnds[s];
      const out: number[] = [];
      for (let w = 0; w < words.length; w++) {
        // Σ log P over the word's pieces: walk back from its last piece to the previous word's end.
        let score = 0;
        for (let at = ends[w + 1]; at !== ends[w]; at = nodes[at].parent) score += nodes[nodes[at].parent].next![nodes[at].token];
        out.push(score);
      }
      out.push(nodes[ends[words.length]].next![eosId]);
      return out;
    });
  }

  /** Runs every node, depth by depth, each batch one ONNX call with the parents' states. */
  private runTrie(nodes: TrieNode[]): void {
    const { layers, dim, vocabSize } = this.config;
    const byDepth: number[][] = [];
    for (let i = 0; i < nodes.length; i++) (byDepth[nodes[i].depth] ??= []).push(i);
    // State after each node, [layers][dim] flattened.
    const hOf = new Map<number, Float32Array>();
    const cOf = new Map<number, Float32Array>();
    const zero = new Float32Array(layers * dim);
    for (const level of byDepth) {
      const b = level.length;
      const token = new BigInt64Array(b);
      const h = new Float32Array(layers * b * dim);
      const c = new Float32Array(layers * b * dim);
      level.forEach((n, k) => {
        token[k] = BigInt(nodes[n].token);
        const ph = nodes[n].parent < 0 ? zero : hOf.get(nodes[n].parent)!;
        const pc = nodes[n].parent < 0 ? zero : cOf.get(nodes[n].parent)!;
        for (let l = 0; l < layers; l++) {
          h.set(ph.subarray(l * dim, (l + 1) * dim), (l * b + k) * dim);
          c.set(pc.subarray(l * dim, (l + 1) * dim), (l * b + k) * dim);
        }
      });
      const out = this.session.run(
        { token: new ort.Tensor('int64', token, [b]), h: new ort.Tensor('float32', h, [layers, b, dim]), c: new ort.Tensor('float32', c, [layers, b, dim]) },
        ['log_probs', 'h_out', 'c_out'],
      );
      const logProbs = out.log_probs.data as Float32Array;
      const hOut = out.h_out.data as Float32Array;
      const cOut = out.c_out.data as Float32Array;
      level.forEach((n, k) => {
        nodes[n].next = logProbs.slice(k * vocabSize, (k + 1) * vocabSize);
        if (nodes[n].children.size === 0) return;
        const nh = new Float32Array(layers * dim);
        const nc = new Float32Array(layers * dim);
        for (let l = 0; l < layers; l++) {
          nh.set(hOut.subarray((l * b + k) * dim, (l * b + k + 1) * dim), l * dim);
          nc.set(cOut.subarray((l * b + k) * dim, (l * b + k + 1) * dim), l * dim);
        }
        hOf.set(n, nh);
        cOf.set(n, nc);
      });
    }
  }

  release(): void {
    this.session.release();
  }
}
