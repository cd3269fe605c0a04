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

/** Full collections, with turns of the event loop between them so freed array buffers go too. */
async function collect(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export async function memoryPerStream(model: TransducerModel, samples: Float32Array, count = 32): Promise<number> {
  const audio = samples.subarray(0, 4 * 16000);
  await collect();
  const before = used();
  const alive = Array.from({ length: count }, () => {
    const d = StreamDecoder.create(model, { beam: 1 });
    for (let at = 0; at < audio.length; at += 1600) d.acceptWaveform(audio.subarray(at, at + 1600));
    return d;
  });
  await collect();
  const bytes = (used() - before) / alive.length;
  return bytes;
}
