/**
 * Memory one live stream holds: `count` greedy decoders kept alive mid-utterance (4 s of audio
 * each: features queue, encoder state, search, partials and traces so far), the growth of the
 * JavaScript heap and of typed-array memory divided by their number. Garbage is collected
 * before each reading where the runtime allows it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { StreamDecoder } from '../../src/engine/asr/stream-decoder';
import type { TransducerModel } from '../../src/engine/asr/transducer-model';

function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export function memoryPerStream(model: TransducerModel, samples: Float32Array, count = 32): number {
  const audio = samples.subarray(0, 4 * 16000);
  collect();
  const before = used();
  const alive = Array.from({ length: count }, () => {
    const d = StreamDecoder.create(model, { beam: 1 });
    for (let at = 0; at < audio.length; at += 1600) d.acceptWaveform(audio.subarray(at, at + 1600));
    return d;
  });
  collect();
  const bytes = (used() - before) / alive.length;
  return bytes;
}
