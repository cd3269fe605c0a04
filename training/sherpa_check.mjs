// Proves that an exported model loads and decodes in sherpa-onnx-node (streaming transducer, greedy).
// usage: node training/sherpa_check.mjs MODEL_DIR VARIANT(fp32|int8) WAV [WAV...]
// prints JSON: [{wav, text, tokens, timestamps}]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const sherpa = require('sherpa-onnx-node');

const [dir, variant, ...wavs] = process.argv.slice(2);
const meta = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
const files = meta.variants[variant];
const recognizer = new sherpa.OnlineRecognizer({
  featConfig: { sampleRate: 16000, featureDim: 80 },
  modelConfig: {
    transducer: {
      encoder: path.join(dir, files.encoder),
      decoder: path.join(dir, files.decoder),
      joiner: path.join(dir, files.joiner),
    },
    tokens: path.join(dir, 'tokens.txt'),
    numThreads: 1,
    provider: 'cpu',
    debug: 0,
    modelType: 'lstm',
  },
  decodingMethod: 'greedy_search',
  enableEndpoint: 0,
});
const out = [];
for (const w of wavs) {
  const wave = sherpa.readWave(w);
  const stream = recognizer.createStream();
  stream.acceptWaveform({ samples: wave.samples, sampleRate: wave.sampleRate });
  // tail padding so that the last partial chunk is decoded
  stream.acceptWaveform({ samples: new Float32Array(Math.round(0.66 * wave.sampleRate)), sampleRate: wave.sampleRate });
  stream.inputFinished();
  while (recognizer.isReady(stream)) recognizer.decode(stream);
  const r = recognizer.getResult(stream);
  out.push({ wav: w, text: r.text, tokens: r.tokens, timestamps: r.timestamps });
}
process.stdout.write(JSON.stringify(out));
