import { Worker } from 'node:worker_threads';
import { ApiError } from '@shared/protocol';
import type { DecodeOptions, EndpointPair } from '@shared/api';
import type { LiveEvent, LiveSaved, LiveSessionResult } from '@shared/live';
import { saveLiveUtterance } from '@engine/live/live-dataset';
import { FOLDER_MANIFEST } from '@engine/session/import/import-dataset';
import { LIVE_RATE, type LiveUtterance } from '@engine/live/live-session';
import { join } from 'node:path';
import type { FromLiveWorker, ToLiveWorker } from './live-messages';

/** Chunks handed to a worker and not yet decoded: beyond this (seconds of audio at 10 chunks/s) the engine cannot keep up. */
const MAX_QUEUED_CHUNKS = 50;

export interface LiveStartSettings {
  modelDir: string;
  decoding: DecodeOptions;
  knobs: EndpointPair;
  sampleRate: number;
  /** The live data set's folder. */
  folder: string;
  signal: AbortSignal;
  emit(event: LiveEvent): void;
}

interface Channel {
  worker: Worker;
  nextSeq: number;
  queued: number;
}

/**
 * The live sessions the host runs, by the id their renderer chose. Each has a worker thread
 * of its own; the host only forwards audio, saves ended utterances and relays events. A session
 * ends when stopped, when its request is cancelled, or when its client disconnects (the router
 * cancels the client's requests), and then its thread ends too.
 */
export class LiveSessions {
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly workerUrl: URL) {}

  start(id: string, settings: LiveStartSettings): Promise<LiveSessionResult> {
    if (this.channels.has(id)) return Promise.reject(new ApiError('live-session-exists', `a live session "${id}" is already running`));
    if (settings.signal.aborted) return Promise.reject(new ApiError('cancelled', 'the request was cancelled'));
    const worker = new Worker(this.workerUrl);
    const channel: Channel = { worker, nextSeq: 0, queued: 0 };
    this.channels.set(id, channel);
    const manifest = join(settings.folder, FOLDER_MANIFEST);
    const saved: LiveSaved[] = [];
    // The worker's news reaches the page in the order it came, saves included; the answer waits for the last.
    let relayed: Promise<void> = Promise.resolve();
    const inOrder = (work: () => void | Promise<void>): void => {
      relayed = relayed.then(work);
    };
    let utteranceError: Error | undefined;

    const save = async (ended: LiveUtterance): Promise<void> => {
      const durationS = ended.samples.length / LIVE_RATE;
      if (!/\S/.test(ended.text)) {
        settings.emit({ type: 'discarded', utterance: ended.utterance, reason: ended.reason, durationS });
        return;
      }
      try {
        const file = await saveLiveUtterance(settings.folder, ended.samples);
        const event: LiveSaved = { type: 'saved', utterance: ended.utterance, id: file.id, audio: file.audio, manifest: file.manifest, reason: ended.reason, text: ended.text, durationS, events: ended.events };
        saved.push(event);
        settings.emit(event);
      } catch (error) {
        utteranceError ??= new ApiError('live-save-failed', `could not save a live utterance in ${settings.folder}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };

    return new Promise<LiveSessionResult>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        this.channels.delete(id);
        settings.signal.removeEventListener('abort', onAbort);
        void relayed.then(() => {
          const failure = error ?? utteranceError;
          if (failure) reject(failure);
          else resolve({ folder: settings.folder, manifest, saved });
        });
      };
      const onAbort = (): void => {
        // The thread ends itself between two messages: terminating it inside onnxruntime would abort the host.
        worker.postMessage({ type: 'abort' } satisfies ToLiveWorker);
        finish(new ApiError('cancelled', 'the live session was cancelled'));
      };
      settings.signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (message: FromLiveWorker) => {
        if (settled) return;
        if (message.type === 'ready') inOrder(() => settings.emit({ type: 'ready', folder: settings.folder, manifest }));
        else if (message.type === 'update') inOrder(() => settings.emit(message.update));
        else if (message.type === 'ended') inOrder(() => save(message.ended));
        else if (message.type === 'took') channel.queued--;
        else if (message.type === 'failed') {
          worker.postMessage({ type: 'abort' } satisfies ToLiveWorker);
          finish(new ApiError(message.code ?? 'engine-error', message.message));
        } else {
          void worker.terminate();
          finish();
        }
      });
      worker.on('error', (error) => finish(new ApiError('engine-error', `the live session's worker crashed: ${error.message}`)));
      worker.on('exit', (code) => finish(new ApiError('engine-error', `the live session's worker exited with code ${code}`)));
      const { modelDir, decoding, knobs, sampleRate } = settings;
      worker.postMessage({ type: 'start', modelDir, decoding, knobs, sampleRate } satisfies ToLiveWorker);
    });
  }

  /** Hands the next chunk to the session's thread; returns its length in samples. */
  audio(id: string, seq: number, pcm: Int16Array): number {
    const channel = this.channel(id);
    if (seq !== channel.nextSeq) throw new ApiError('live-audio-lost', `live audio chunk ${seq} arrived where chunk ${channel.nextSeq} was expected: audio was lost or reordered`);
    if (channel.queued >= MAX_QUEUED_CHUNKS) throw new ApiError('live-overloaded', `the engine is ${channel.queued} chunks behind the microphone and cannot keep up`);
    channel.nextSeq++;
    channel.queued++;
    channel.worker.postMessage({ type: 'audio', seq, pcm } satisfies ToLiveWorker, [pcm.buffer as ArrayBuffer]);
    return pcm.length;
  }

  /** Asks the session to end; its `liveStart` request answers once the last utterance is saved. */
  stop(id: string): boolean {
    this.channel(id).worker.postMessage({ type: 'stop' } satisfies ToLiveWorker);
    return true;
  }

  private channel(id: string): Channel {
    const channel = this.channels.get(id);
    if (!channel) throw new ApiError('no-live-session', `no live session "${id}" is running: start one first`);
    return channel;
  }
}
