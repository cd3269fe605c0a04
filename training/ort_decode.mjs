// Streaming greedy decode of exported Earshot graphs in onnxruntime-node (used by report.py for the
// int8 WER and biasing metrics, i.e. the graphs that ship).
// usage: node training/ort_decode.mjs job.json
// job: {dir, variant, feats (raw float32 file, 80 per frame), max_symbols,
//       utts: [{offset, frames, context: [[ids...], ...] | null}]}
// prints JSON: [{ids, frames, eoq}]  (eoq = sigmoid(eoq_logit) per valid encoder frame)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const ort = require('onnxruntime-node');

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const meta = JSON.parse(readFileSync(path.join(job.dir, 'model.json'), 'utf8'));
const files = meta.variants[job.variant];
const opts = { intraOpNumThreads: 1, interOpNumThreads: 1 };
const load = (f) => ort.InferenceSession.create(path.join(job.dir, f), opts);
const [enc, dec, joi, cenc, bias] = await Promise.all(
  ['encoder', 'decoder', 'joiner', 'context_encoder', 'bias'].map((k) => load(files[k])));
const L = meta.encoder.layers, H = meta.encoder.hidden, J = meta.encoder.joiner_dim;
const T = meta.chunk.T, D = 80;
const buf = readFileSync(job.feats);
const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
const maxSym = job.max_symbols || 1;
const K = meta.context_size ?? 2;

// ctx: the last K tokens, oldest first (-1: nothing)
async function decoderOut(ctx) {
  const r = await dec.run({ y: new ort.Tensor('int64', BigInt64Array.from(ctx.map((t) => BigInt(t))), [1, K]) });
  return r.decoder_out.data;
}

const out = [];
for (const u of job.utts) {
  const n = u.frames;
  const nChunks = Math.ceil(n / T);
  const x = new Float32Array(nChunks * T * D);
  x.set(all.subarray(u.offset * D, (u.offset + n) * D));
  for (let f = n; f < nChunks * T; f++) x.set(all.subarray((u.offset + n - 1) * D, (u.offset + n) * D), f * D);
  let s0 = new ort.Tensor('float32', new Float32Array(L * H), [L, 1, H]);
  let s1 = new ort.Tensor('float32', new Float32Array(L * H), [L, 1, H]);
  const F = nChunks * (T / 4);
  let encAll = new Float32Array(F * J);
  const eoq = [];
  for (let c = 0; c < nChunks; c++) {
    const r = await enc.run({ x: new ort.Tensor('float32', x.subarray(c * T * D, (c + 1) * T * D), [1, T, D]), state0: s0, state1: s1 });
    encAll.set(r.encoder_out.data, c * (T / 4) * J);
    s0 = r.new_state0; s1 = r.new_state1;
    for (const v of r.eoq_logit.data) eoq.push(1 / (1 + Math.exp(-v)));
  }
  let attnPeak;
  if (u.context && u.context.length) {
    const E = u.context.length, S = Math.max(...u.context.map((e) => e.length));
    const toks = new BigInt64Array(E * S);
    u.context.forEach((e, i) => e.forEach((t, j) => { toks[i * S + j] = BigInt(t); }));
    const lens = BigInt64Array.from(u.context.map((e) => BigInt(e.length)));
    const ce = await cenc.run({ context_tokens: new ort.Tensor('int64', toks, [E, S]), context_lengths: new ort.Tensor('int64', lens, [E]) });
    const b = await bias.run({ encoder_out: new ort.Tensor('float32', encAll, [1, F, J]), context_emb: ce.context_emb });
    encAll = b.encoder_out_biased.data;
    // each column's highest attention over the utterance's frames (column 0: no bias): does its own name light up?
    attnPeak = new Array(E + 1).fill(0);
    const frames = Math.ceil(n / 4);
    for (let t = 0; t < frames; t++) for (let e = 0; e <= E; e++) attnPeak[e] = Math.max(attnPeak[e], b.attention.data[t * (E + 1) + e]);
  }
  const valid = Math.ceil(n / 4);
  let ctx = [...new Array(K - 1).fill(-1), 0];
  let d = await decoderOut(ctx);
  const ids = [], frames = [];
  for (let t = 0; t < valid; t++) {
    const e = new ort.Tensor('float32', encAll.slice(t * J, (t + 1) * J), [1, J]);
    for (let s = 0; s < maxSym; s++) {
      const r = await joi.run({ encoder_out: e, decoder_out: new ort.Tensor('float32', d, [1, J]) });
      const lg = r.logit.data;
      let best = 0;
      for (let k = 1; k < lg.length; k++) if (lg[k] > lg[best]) best = k;
      if (best === 0) break;
      ids.push(best); frames.push(t);
      ctx = [...ctx.slice(1), best];
      d = await decoderOut(ctx);
    }
  }
  out.push({ ids, frames, eoq: eoq.slice(0, valid).map((v) => Math.round(v * 1e4) / 1e4), ...(attnPeak ? { attn_peak: attnPeak.map((v) => Math.round(v * 1e4) / 1e4) } : {}) });
}
process.stdout.write(JSON.stringify(out));
