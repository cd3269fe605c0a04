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
   * (one scale per call), so a beam search keeps its own cache, and takes from this one only
   * the rows it misses one at a time.
   */
  static singles(net: JointNetwork): PredictionCache {
    let cache = singlesByNet.get(net);
    if (!cache) {
      cache = new PredictionCache(net);
      singlesByNet.set(net, cache);
    }
    return cache;
  }

  private readonly rowsByContext = new Map<number | string, Float32Array>();
  /** Numeric keys (base vocabSize + 1) when every context fits a double exactly, else strings. */
  private readonly keyBase: number;
  /** Per context of the call at hand: its cached row, or its key while it is being computed. */
  private readonly found: (Float32Array | number | string)[] = [];

  constructor(
    private readonly net: JointNetwork,
    private readonly limit = DEFAULT_LIMIT,
  ) {
    this.keyBase = (net.vocabSize + 1) ** net.contextSize <= Number.MAX_SAFE_INTEGER ? net.vocabSize + 1 : 0;
  }

  row(context: readonly number[]): Float32Array {
    return this.rows([context]);
  }

  /**
   * Rows for all contexts (contexts × joinerDim), one network call for those not cached (in
   * order of first appearance). One context gets its cached row itself; several are copied
   * into `out` when given (and long enough), else into a new array.
   */
  rows(contexts: readonly (readonly number[])[], out?: Float32Array): Float32Array {
    const dim = this.net.joinerDim;
    const n = contexts.length;
    const found = this.found;
    found.length = n;
    let missing: (readonly number[])[] | null = null;
    let missingKeys: (number | string)[] | null = null;
    for (let i = 0; i < n; i++) {
      const k = this.key(contexts[i]);
      const row = this.rowsByContext.get(k);
      found[i] = row ?? k;
      if (row === undefined && !missingKeys?.includes(k)) {
        (missing ??= []).push(contexts[i]);
        (missingKeys ??= []).push(k);
      }
    }
    if (missing && missingKeys) {
      if (this.rowsByContext.size + missing.length > this.limit) this.rowsByContext.clear();
      // A row computed alone is the same in every cache: take it from the shared one.
      const singles = missing.length === 1 ? PredictionCache.singles(this.net) : this;
      if (singles !== this) this.rowsByContext.set(missingKeys[0], singles.row(missing[0]));
      else {
        const computed = this.net.runDecoder(missing);
        missingKeys.forEach((k, i) => this.rowsByContext.set(k, computed.slice(i * dim, (i + 1) * dim)));
      }
      for (let i = 0; i < n; i++) if (typeof found[i] !== 'object') found[i] = this.rowsByContext.get(found[i] as number | string) as Float32Array;
    }
    if (n === 1) return found[0] as Float32Array;
    const rows = out && out.length >= n * dim ? out.subarray(0, n * dim) : new Float32Array(n * dim);
    for (let i = 0; i < n; i++) rows.set(found[i] as Float32Array, i * dim);
    return rows;
  }

  private key(context: readonly number[]): number | string {
    if (this.keyBase === 0) return context.join(',');
    let k = 0;
    for (const t of context) k = k * this.keyBase + t + 1;
    return k;
  }
}
