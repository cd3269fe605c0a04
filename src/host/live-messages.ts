/** Messages between the engine host and a live session's worker thread. */
import type { DecodeOptions, EndpointPair } from '@shared/api';
import type { LiveUpdate } from '@shared/live';
import type { LiveUtterance } from '@engine/live/live-session';

export type ToLiveWorker =
  | { type: 'start'; modelDir: string; decoding: DecodeOptions; knobs: EndpointPair; sampleRate: number }
  | { type: 'audio'; seq: number; pcm: Int16Array }
  | { type: 'stop' }
  | { type: 'abort' };

export type FromLiveWorker =
  | { type: 'ready' }
  | { type: 'update'; update: LiveUpdate }
  | { type: 'ended'; ended: LiveUtterance }
  /** A chunk was decoded: the host counts what is still queued. */
  | { type: 'took'; seq: number }
  | { type: 'stopped' }
  | { type: 'failed'; message: string; code?: string };
