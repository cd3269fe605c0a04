/**
 * Data-set throughput at two threads, utterances per second:
 * - Earshot: two engine worker threads (the app's and CLI's WorkerPool, from the build), each
 *   decoding half of the utterances with decodeBatch, `streams` per encoder call;
 * - sherpa-onnx-node: one recognizer with numThreads 2 decoding `streams` streams at a time
 *   (decodeStreams, which batches its encoder calls), refilled as they finish.
 * Both greedy, one symbol per frame, the same model files and the same samples (their tail
 * padding in the samples: none added by the decoder).
 */
import { fileURLToPath } from 'node:url';
import { WorkerPool } from '../../src/host/worker-pool';
import type { ModelSpec } from '../../src/engine/asr/model-dir';
import { sherpaRecognizer } from '../../test/unit/asr/sherpa-reference';

export const THREADS = 2;

export function earshotPool(): WorkerPool {
  const worker = fileURLToPath(new URL('../../out/main/engine-worker.js', import.meta.url));
  return new WorkerPool(new URL(`file://${worker}`), THREADS);
}

/** The utterances dealt round-robin to the threads, each thread's share decoded as one batch job. */
export async function earshotThroughput(pool: WorkerPool, spec: ModelSpec, audio: readonly Float32Array[], streams: number): Promise<string[]> {
  const shares = Array.from({ length: THREADS }, (_, t) => audio.filter((_, i) => i % THREADS === t));
  const answers = await Promise.all(
    shares.map((samples) => pool.run<{ hyps: string[] }>('decodeBatch', { modelDir: spec.dir, variant: spec.variant, samples, streams, beam: 1, maxSymbolsPerFrame: 1, tailPaddingS: 0 })),
  );
  return audio.map((_, i) => answers[i % THREADS].hyps[Math.floor(i / THREADS)]);
}

interface SherpaMultiStream {
  createStream(): { acceptWaveform(w: { samples: Float32Array; sampleRate: number }): void; inputFinished(): void };
  isReady(s: unknown): boolean;
  decodeStreams(s: unknown[]): void;
  getResult(s: unknown): { text: string };
}

export function sherpaThroughputRecognizer(spec: ModelSpec): SherpaMultiStream {
  return sherpaRecognizer(spec, 'greedy_search', 4, undefined, THREADS) as unknown as SherpaMultiStream;
}

export function sherpaThroughput(rec: SherpaMultiStream, audio: readonly Float32Array[], streams: number): string[] {
  const texts: string[] = new Array(audio.length);
  const active: { index: number; stream: ReturnType<SherpaMultiStream['createStream']> }[] = [];
  let next = 0;
  for (;;) {
    while (active.length < streams && next < audio.length) {
      const stream = rec.createStream();
      stream.acceptWaveform({ samples: audio[next] as Float32Array, sampleRate: 16000 });
      stream.inputFinished();
      active.push({ index: next++, stream });
    }
    // A finished stream is one that is no longer ready: its slot goes to the next utterance.
    for (let i = 0; i < active.length; ) {
      if (rec.isReady(active[i].stream)) {
        i++;
        continue;
      }
      const [done] = active.splice(i, 1);
      texts[done.index] = rec.getResult(done.stream).text.trim().toLowerCase();
    }
    if (active.length === 0 && next >= audio.length) return texts;
    if (active.length < streams && next < audio.length) continue;
    rec.decodeStreams(active.map((a) => a.stream));
  }
}
