/**
 * Prediction-network rows keyed by token context. A stateless decoder's output depends only
 * on the last `contextSize` tokens, which repeat constantly ("th", "he", "e▁"), so most rows
 * are looked up rather than computed. Bounded so a large vocabulary cannot grow it without end.
 */
import type { JointNetwork } from './joint-network';

const DEFAULT_LIMIT = 4096;

export class PredictionCache {
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
