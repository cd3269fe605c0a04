import { inject, markRaw, reactive, type InjectionKey } from 'vue';
import type { EarshotApi, EndpointPair } from '@shared/api';
import type { EndpointEvent } from '@shared/domain/endpoint';
import type { Lattice } from '@shared/domain/decode';
import { liveEventSchema, type LiveEnd, type LiveEvent, type LiveSaved } from '@shared/live';
import { CHUNK_S, levelDb, LEVEL_FLOOR_DB, PcmChunker, pcm16ToBase64 } from './pcm-chunks';
import { listMicrophones, openMicrophone, type Microphone, type MicrophoneDevice } from './microphone';

export type LiveStatus = 'idle' | 'starting' | 'listening' | 'stopping';

/** One utterance as the live panel draws it: the hypothesis, end-of-query per frame, both end-pointers' events. */
export interface LiveUtteranceView {
  utterance: number;
  text: string;
  timeS: number;
  frameShiftS: number;
  eoq: number[];
  events: EndpointEvent[];
  lattice: Lattice | null;
  /** Set once it ended: how, and the live data set's id when it was saved. */
  ended?: { reason: LiveEnd; savedId?: string };
}

export interface LiveState {
  devices: MicrophoneDevice[];
  /** '' is the system's default input. */
  deviceId: string;
  status: LiveStatus;
  /** The capturing device's name and rate while listening. */
  input: { label: string; sampleRate: number } | null;
  levelDb: number;
  /** The utterance being spoken. */
  current: LiveUtteranceView | null;
  /** The last one that ended: shown until the next one has words. */
  last: LiveUtteranceView | null;
  /** Where utterances are saved (from the host), and what this window saved, newest first. */
  manifest: string | null;
  saved: LiveSaved[];
  /** The end-pointer pair the session runs with. */
  knobs: EndpointPair | null;
  error: string | null;
}

/** What the live store needs from the workbench: the model and end-pointers in use, and opening a data set. */
export interface LiveHost {
  api: EarshotApi;
  modelDir(): string | undefined;
  knobs(): EndpointPair | undefined;
  liveDir(): string | undefined;
  openDataset(path: string): Promise<void>;
}

/** Saved utterances listed in the panel; older ones are in the live data set. */
const SAVED_SHOWN = 20;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function sessionId(): string {
  return `live-${crypto.randomUUID()}`;
}

function manifestIn(folder: string): string {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(sep) ? `${folder}manifest.jsonl` : `${folder}${sep}manifest.jsonl`;
}

/**
 * The live microphone's state, apart from the workbench store: the device, the capture, the session
 * in the engine host and what its events say. Audio goes out in numbered chunks; the events come
 * back on the `liveStart` request and are validated against the contract before they are shown.
 */
export function createLiveStore(host: LiveHost) {
  const state = reactive<LiveState>({
    devices: [],
    deviceId: '',
    status: 'idle',
    input: null,
    levelDb: LEVEL_FLOOR_DB,
    current: null,
    last: null,
    manifest: null,
    saved: [],
    knobs: null,
    error: null,
  });
  let microphone: Microphone | null = null;
  let session: { id: string; seq: number; chunker: PcmChunker; failed: boolean } | null = null;

  function send(pcm: Int16Array): void {
    const s = session;
    if (!s || s.failed) return;
    host.api.call('liveAudio', { sessionId: s.id, seq: s.seq++, pcm: pcm16ToBase64(pcm) }).catch((error: unknown) => {
      if (s.failed || session !== s) return;
      s.failed = true;
      state.error = message(error);
      void stop();
    });
  }

  function onBlock(block: Float32Array): void {
    state.levelDb = levelDb(block);
    if (session) for (const chunk of session.chunker.push(block)) send(chunk);
  }

  /** An utterance that was saved stays on show as the last one; one with nothing said just goes. */
  function endUtterance(utterance: number, ended?: LiveUtteranceView['ended'], text?: string, events?: EndpointEvent[]): void {
    const view = state.current?.utterance === utterance ? state.current : null;
    if (!view) return;
    if (ended) state.last = { ...view, text: text ?? view.text, events: events ?? view.events, ended };
    state.current = null;
  }

  function apply(event: LiveEvent): void {
    if (event.type === 'ready') {
      state.manifest = event.manifest;
    } else if (event.type === 'update') {
      const same = state.current?.utterance === event.utterance ? state.current : null;
      const eoq = same ? same.eoq.slice(0, event.eoqFrom).concat(event.eoq) : event.eoq;
      state.current = { utterance: event.utterance, text: event.text, timeS: event.timeS, frameShiftS: event.frameShiftS, eoq, events: event.events, lattice: markRaw(event.lattice) };
    } else if (event.type === 'saved') {
      endUtterance(event.utterance, { reason: event.reason, savedId: event.id }, event.text, event.events);
      state.saved = [event, ...state.saved].slice(0, SAVED_SHOWN);
    } else {
      endUtterance(event.utterance);
    }
  }

  /**
   * The engine first (it loads the model), then the microphone: audio starts flowing only once
   * something decodes it, so nothing queues up while the model loads.
   */
  async function start(): Promise<void> {
    if (state.status !== 'idle') return;
    state.status = 'starting';
    state.error = null;
    state.current = null;
    const context = new AudioContext();
    const s = { id: sessionId(), seq: 0, chunker: new PcmChunker(Math.round(context.sampleRate * CHUNK_S)), failed: false };
    session = s;
    const knobs = host.knobs();
    state.knobs = knobs ? JSON.parse(JSON.stringify(knobs)) : null;
    let engineReady!: () => void;
    const ready = new Promise<void>((resolve) => (engineReady = resolve));
    const listener = (event: { kind: string; data?: unknown }): void => {
      if (event.kind !== 'partial') return;
      const parsed = liveEventSchema.safeParse(event.data);
      if (!parsed.success) {
        state.error = `the engine sent a live event the contract does not allow: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`;
        return;
      }
      if (parsed.data.type === 'ready') engineReady();
      apply(parsed.data);
    };
    const running = host.api
      .call('liveStart', { sessionId: s.id, sampleRate: context.sampleRate, modelDir: host.modelDir(), ...(knobs ? { endpoints: knobs } : {}) }, listener)
      .then((result) => {
        state.manifest = result.manifest;
      })
      .catch((error: unknown) => {
        state.error = message(error);
      })
      .finally(() => {
        if (session === s) session = null;
        void closeMicrophone();
        state.status = 'idle';
        state.current = null;
      });
    // A session that fails before it is ready never opens the microphone.
    await Promise.race([ready, running]);
    if (session !== s) {
      await context.close();
      return;
    }
    try {
      microphone = await openMicrophone(state.deviceId, onBlock, context);
    } catch (error) {
      state.error = `the microphone could not be opened: ${message(error)}`;
      await host.api.call('liveStop', { sessionId: s.id }).catch(() => undefined);
      return;
    }
    state.input = { label: microphone.label, sampleRate: microphone.sampleRate };
    state.status = 'listening';
    // Labels appear once the user has allowed a microphone.
    void refreshDevices();
  }

  async function closeMicrophone(): Promise<void> {
    const open = microphone;
    microphone = null;
    state.input = null;
    state.levelDb = LEVEL_FLOOR_DB;
    await open?.stop();
  }

  /** Stops capturing; the engine decodes what it has and the session's request ends. */
  async function stop(): Promise<void> {
    const s = session;
    if (!s || state.status !== 'listening') return;
    state.status = 'stopping';
    await closeMicrophone();
    const rest = s.chunker.flush();
    if (rest) send(rest);
    await host.api.call('liveStop', { sessionId: s.id }).catch((error: unknown) => {
      // The session may already have ended on its own (an error the request reported).
      if (session === s) state.error = message(error);
    });
  }

  async function refreshDevices(): Promise<void> {
    try {
      state.devices = await listMicrophones();
    } catch (error) {
      state.error = `the audio inputs could not be listed: ${message(error)}`;
    }
  }

  // A page that goes away takes its microphone with it; the host also ends a session whose client left.
  window.addEventListener('pagehide', () => void stop());

  return {
    state,
    start,
    stop,
    refreshDevices,
    /** The key's action: start when idle, else stop. */
    toggle(): Promise<void> {
      return state.status === 'idle' ? start() : stop();
    },
    /** The live data set (its manifest) in the workbench, like any other data set. */
    async openLiveDataset(): Promise<void> {
      const folder = host.liveDir();
      const manifest = state.manifest ?? (folder ? manifestIn(folder) : null);
      if (manifest) await host.openDataset(manifest);
    },
  };
}

export type LiveStore = ReturnType<typeof createLiveStore>;
export const liveStoreKey: InjectionKey<LiveStore> = Symbol('earshot-live');

export function useLiveStore(): LiveStore {
  const live = inject(liveStoreKey);
  if (!live) throw new Error('the live store is not provided');
  return live;
}
