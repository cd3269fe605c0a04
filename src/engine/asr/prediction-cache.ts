/**
 * Prediction-network rows keyed by token context. A stateless decoder's output depends only
 * on the last `contextSize` tokens, which repeat constantly ("th", "he", "e▁"), so most rows
 * are looked up rather than computed. Bounded so a large vocabulary cannot grow it without end.
 */
import type { JointNetwork } from './joint-network';

const DEFAULT_LIMIT = 4096;

/** The caches of rows computed one context per call, per network (see PredictionCache.singles). */
const singlesByNet = new WeakMap<JointNetwork, PredictionCache>();

export class PredictionCache {
  /**
   * One cache per network that lives as long as the network, for searches that only ever ask
   * for one row at a time (greedy): a row computed alone is the same whichever utterance asked
   * first, so utterances share it. Batched rows are not, with dynamically quantised graphs
   * (one scale per call), so a beam search keeps its own cache.
   */
  static singles(net: JointNetwork): PredictionCache {
    let cache = singlesByNet.get(net);
    if (!cache) {
      cache = new PredictionCache(net);
      singlesByNet.set(net, cache);
    }
    return cache;
  }

  private readonly rowsByContext = new Map<string, Float32Array>();

  constructor(
    private readonly net: JointNetwork,
    private readonly limit = DEFAULT_LIMIT,
  ) {}

  row(context: readonly number[]): Float32Array {
    return this.rows([context]);
  }

  /** Rows for all contexts (contexts × joinerDim), one network call for those not cached. */
  rows(contexts: readonly (readonly number[])[]): Float32Array {
    const dim = this.net.joinerDim;
    const missing = new Map<string, readonly number[]>();
    for (const c of contexts) {
      const k = c.join(',');
      if (!this.rowsByContext.has(k)) missing.set(k, c);
    }
    if (missing.size > 0) {
      if (this.rowsByContext.size + missing.size > this.limit) this.rowsByContext.clear();
      const computed = this.net.runDecoder([...missing.values()]);
      [...missing.keys()].forEach((k, i) => this.rowsByContext.set(k, computed.slice(i * dim, (i + 1) * dim)));
    }
    if (contexts.length === 1) return this.rowsByContext.get(contexts[0].join(',')) as Float32Array;
    const out = new Float32Array(contexts.length * dim);
    contexts.forEach((c, i) => out.set(this.rowsByContext.get(c.join(',')) as Float32Array, i * dim));
    return out;
  }
}
