/**
 * Where a single-stream greedy decode spends its time, measured inside the same decode: the
 * model's calls and the streaming front end's methods are wrapped with timers for the passes;
 * what is left of the whole decode is the search's own bookkeeping (with the partial and final
 * results). CPU time, not wall time: on a shared machine a wall clock charges whichever call
 * was running to the moments this process was waiting for a core.
 */
import { decodeSamples } from '../../src/engine/asr/decode-utterance';
import type { DecodeOptions } from '../../src/engine/asr/stream-decoder';
import type { TransducerModel } from '../../src/engine/asr/transducer-model';
import { StreamingFbank } from '../../src/engine/features/streaming-fbank';
import { cpuSeconds, median } from './rounds';

type Part = 'features' | 'encoder' | 'decoder' | 'joiner';

export interface TimeSplit extends Record<Part | 'search' | 'total', number> {
  /** ONNX calls of one pass. */
  calls: { encoder: number; decoder: number; joiner: number };
}

/** Replaces `target[method]` with a timed copy; returns the undo. */
function timed(target: object, method: string, onTime: (ms: number) => void): () => void {
  const host = target as Record<string, (...args: unknown[]) => unknown>;
  const original = host[method];
  const own = Object.prototype.hasOwnProperty.call(target, method);
  host[method] = function (this: unknown, ...args: unknown[]) {
    const t0 = cpuSeconds();
    const result = original.apply(this, args);
    onTime((cpuSeconds() - t0) * 1000);
    return result;
  };
  return () => {
    if (own) host[method] = original;
    else delete host[method];
  };
}

export function timeSplit(model: TransducerModel, audio: readonly Float32Array[], passes: number, decoding: DecodeOptions): TimeSplit {
  const audioS = audio.reduce((n, a) => n + a.length, 0) / 16000;
  const spent: Record<Part, number> = { features: 0, encoder: 0, decoder: 0, joiner: 0 };
  const calls = { encoder: 0, decoder: 0, joiner: 0 };
  const count = (part: Part) => (ms: number) => {
    spent[part] += ms;
    if (part !== 'features') calls[part]++;
  };
  const undo = [
    timed(model, 'runEncoder', count('encoder')),
    timed(model, 'runDecoder', count('decoder')),
    timed(model, 'runJoiner', count('joiner')),
    timed(StreamingFbank.prototype, 'accept', count('features')),
    timed(StreamingFbank.prototype, 'inputFinished', count('features')),
  ];
  const rows: Record<Part | 'search' | 'total', number>[] = [];
  try {
    for (let p = -1; p < passes; p++) {
      (Object.keys(spent) as Part[]).forEach((k) => (spent[k] = 0));
      (Object.keys(calls) as (keyof typeof calls)[]).forEach((k) => (calls[k] = 0));
      const t0 = cpuSeconds();
      audio.forEach((s) => decodeSamples(model, s, decoding));
      const total = (cpuSeconds() - t0) * 1000;
      if (p < 0) continue; // warm-up
      const perS = (ms: number): number => ms / 1000 / audioS;
      const search = total - spent.features - spent.encoder - spent.decoder - spent.joiner;
      rows.push({
        features: perS(spent.features),
        encoder: perS(spent.encoder),
        decoder: perS(spent.decoder),
        joiner: perS(spent.joiner),
        search: perS(search),
        total: perS(total),
      });
    }
  } finally {
    undo.forEach((u) => u());
  }
  const m = (k: Part | 'search' | 'total'): number => median(rows.map((r) => r[k]));
  return { features: m('features'), encoder: m('encoder'), decoder: m('decoder'), joiner: m('joiner'), search: m('search'), total: m('total'), calls: { ...calls } };
}
