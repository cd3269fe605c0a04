// Runs ONNX graphs in onnxruntime-node for the Python parity checks.
// usage: node training/ort_run.mjs job.json   (job: {runs: [{model, inputs: {name: {type, dims, data}}}]})
// prints JSON: [{outputs: {name: {dims, data}}}] (or {error} per run)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const ort = require('onnxruntime-node');

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = [];
const sessions = new Map();
for (const run of job.runs) {
  try {
    let sess = sessions.get(run.model);
    if (!sess) {
      sess = await ort.InferenceSession.create(run.model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
      sessions.set(run.model, sess);
    }
    const feeds = {};
    for (const [name, t] of Object.entries(run.inputs)) {
      const data = t.type === 'int64' ? BigInt64Array.from(t.data.map((v) => BigInt(v))) : Float32Array.from(t.data);
      feeds[name] = new ort.Tensor(t.type, data, t.dims);
    }
    const out = await sess.run(feeds);
    const outputs = {};
    for (const name of sess.outputNames) {
      const t = out[name];
      outputs[name] = { dims: t.dims, data: Array.from(t.data, (v) => Number(v)) };
    }
    results.push({ outputs, outputNames: sess.outputNames });
  } catch (e) {
    results.push({ error: String(e && e.message ? e.message : e) });
  }
}
process.stdout.write(JSON.stringify(results));
