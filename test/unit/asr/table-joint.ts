/**
 * Test helper: a hand-made joint network. Encoder rows are per-frame log-probabilities over
 * the vocabulary (joinerDim = vocabSize); the prediction row is a one-hot of the last token,
 * and the joiner subtracts `repeatPenalty` from that token, so the same frame can emit
 * something else next (for max-symbols-per-frame).
 */
import type { JointNetwork } from '../../../src/engine/asr/joint-network';

export const VOCAB = ['<blk>', '▁', "'", ...'abcdefghijklmnopqrstuvwxyz'];

export function tokenId(ch: string): number {
  const id = VOCAB.indexOf(ch === ' ' ? '▁' : ch);
  if (id < 0) throw new Error(`no token ${ch}`);
  return id;
}

export class TableJoint implements JointNetwork {
  readonly vocabSize = VOCAB.length;
  readonly contextSize = 2;
  readonly joinerDim = VOCAB.length;
  readonly blankId = 0;
  /** Set to make a token the vocabulary's `<unk>`. */
  unkId: number | undefined = undefined;
  joinerCalls = 0;
  decoderCalls = 0;
  decoderContexts: number[][] = [];

  constructor(private readonly repeatPenalty = 0) {}

  runDecoder(contexts: readonly (readonly number[])[]): Float32Array {
    this.decoderCalls++;
    const out = new Float32Array(contexts.length * this.joinerDim);
    contexts.forEach((ctx, i) => {
      this.decoderContexts.push([...ctx]);
      const last = ctx[ctx.length - 1];
      if (last > 0) out[i * this.joinerDim + last] = 1;
    });
    return out;
  }

  runJoiner(enc: Float32Array, dec: Float32Array, rows: number): Float32Array {
    this.joinerCalls++;
    const out = new Float32Array(rows * this.vocabSize);
    for (let i = 0; i < out.length; i++) out[i] = enc[i] - this.repeatPenalty * dec[i];
    return out;
  }
}

/**
 * Encoder frames from per-frame token probabilities, e.g. [{ j: 0.9 }, { o: 0.8 }]; the rest
 * of each frame's mass goes to blank, and every other token gets a tiny floor.
 */
export function framesFrom(spec: Record<string, number>[]): Float32Array {
  const out = new Float32Array(spec.length * VOCAB.length);
  spec.forEach((probs, t) => {
    const p = new Array<number>(VOCAB.length).fill(1e-6);
    let mass = 0;
    for (const [ch, prob] of Object.entries(probs)) {
      p[tokenId(ch)] = prob;
      mass += prob;
    }
    p[0] = Math.max(1e-6, 1 - mass);
    p.forEach((v, i) => (out[t * VOCAB.length + i] = Math.log(v)));
  });
  return out;
}

export function textOf(ids: number[]): string {
  return ids.map((i) => VOCAB[i]).join('').replaceAll('▁', ' ').trim();
}
