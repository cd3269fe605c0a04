/**
 * Entry of a live session's worker thread: one thread per microphone stream, since the decoder's
 * state must stay where its audio goes (the pool hands tasks to any thread). It resamples the
 * capture to 16 kHz with the engine's resampler (the one the offline decode of a file uses),
 * runs the LiveSession and posts what it produces. Messages are handled one at a time, in order.
 */
import { parentPort } from 'node:worker_threads';
import { TransducerModel } from '@engine/asr/transducer-model';
import { createResampler, type Resampler } from '@engine/audio/resample';
import { configPairFromKnobs } from '@engine/endpoint/dual-endpointer';
import { LIVE_RATE, LiveSession } from '@engine/live/live-session';
import { fromPcm16 } from '@shared/pcm16';
import type { FromLiveWorker, ToLiveWorker } from './live-messages';

const port = parentPort;
if (!port) throw new Error('live-worker must run in a worker thread');
const post = (message: FromLiveWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

let session: LiveSession | undefined;
let resampler: Resampler | undefined;
let queue: Promise<void> = Promise.resolve();

function publish(outputs: ReturnType<LiveSession['accept']>): void {
  for (const output of outputs) {
    if (output.type === 'update') post({ type: 'update', update: output.update });
    else post({ type: 'ended', ended: output.ended }, [output.ended.samples.buffer as ArrayBuffer]);
  }
}

async function handle(message: ToLiveWorker): Promise<void> {
  if (message.type === 'start') {
    const { variant, ...decoding } = message.decoding;
    const model = TransducerModel.load(message.modelDir, { variant, intraOpNumThreads: 1 });
    session = new LiveSession(model, { decoding, endpoints: configPairFromKnobs(message.knobs) });
    resampler = message.sampleRate === LIVE_RATE ? undefined : await createResampler(message.sampleRate, LIVE_RATE);
    post({ type: 'ready' });
    return;
  }
  if (!session) throw new Error('the live session has not started');
  if (message.type === 'audio') {
    const samples = fromPcm16(message.pcm);
    publish(session.accept(resampler ? resampler.process(samples) : samples));
    post({ type: 'took', seq: message.seq });
    return;
  }
  // stop: the resampler's held-back tail is audio too.
  if (resampler) publish(session.accept(resampler.flush()));
  publish(session.stop());
  post({ type: 'stopped' });
}

port.on('message', (message: ToLiveWorker) => {
  // Ends the thread between two messages, never inside an onnxruntime call.
  if (message.type === 'abort') {
    queue = queue.then(() => process.exit(0));
    return;
  }
  queue = queue.then(() =>
    handle(message).catch((error: unknown) => {
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error), code: (error as { code?: unknown }).code as string | undefined });
    }),
  );
});
