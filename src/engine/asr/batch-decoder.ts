/**
 * Data-set throughput: several utterances decoded at once, their chunks stacked into one
 * encoder call (as sherpa-onnx's DecodeStreams does). A call costs little more for 8 streams
 * than for 1 on a small encoder, so a worker decoding a corpus runs far fewer of them.
 * Continuous batching: when an utterance ends, the next takes its slot, so the batch stays
 * full until the data set runs out. Each stream keeps its own features, state and search, so
 * a result is the one-at-a-time result, up to the encoder's arithmetic on a larger batch
 * (test/unit/asr/batch-decoder.test.ts).
 */
import type { DecodeResult } from '../../shared/domain/decode';
import { batchesStreams } from './encoder-state';
import type { ModelSpec } from './model-dir';
import { StreamDecoder, type DecodeOptions } from './stream-decoder';
import type { TransducerModel } from './transducer-model';

export interface BatchUtterance {
  /** 16 kHz mono samples in [-1, 1]. */
  samples: Float32Array;
  /** Names the result (the lattice's utterance id). */
  id?: string;
  /** This utterance's own decode options (its biasing list, say) in place of the batch's. */
  decoding?: Omit<DecodeOptions, 'onPartial'>;
}

export interface BatchOptions extends Omit<DecodeOptions, 'onPartial'> {
  /** Streams per encoder call (default 8); 1 where the model's graph takes one stream. */
  streams?: number;
  /** Called as each utterance finishes (results also come back in input order). */
  onResult?: (index: number, result: DecodeResult) => void;
}

export const DEFAULT_BATCH_STREAMS = 8;

/**
 * Streams per encoder call for a data-set decode when the user does not choose: batched where
 * that leaves every result as it is alone (float graphs: the same bits, checked on the held-out
 * splits), one at a time where a batch shares one int8 activation scale or the graph takes one
 * stream.
 */
export function defaultBatchStreams(spec: ModelSpec): number {
  return batchesStreams(spec.states) && !spec.batchSharesScale ? DEFAULT_BATCH_STREAMS : 1;
}

interface Slot {
  index: number;
  decoder: StreamDecoder;
}

/** Decodes every utterance; results in input order. */
export function decodeBatch(model: TransducerModel, utterances: readonly BatchUtterance[], options: BatchOptions = {}): DecodeResult[] {
  const { streams = DEFAULT_BATCH_STREAMS, onResult, ...decoding } = options;
  const width = model.batchesStreams ? Math.max(1, Math.floor(streams)) : 1;
  const { T, featureDim } = model.spec;
  const results: DecodeResult[] = new Array(utterances.length);
  const slots: Slot[] = [];
  let next = 0;
  const x = new Float32Array(width * T * featureDim);
  for (;;) {
    while (slots.length < width && next < utterances.length) {
      const decoder = StreamDecoder.create(model, utterances[next].decoding ?? decoding);
      decoder.feed(utterances[next].samples);
      decoder.inputFinished();
      slots.push({ index: next++, decoder });
    }
    if (slots.length === 0) return results;
    const ready: Slot[] = [];
    for (let i = 0; i < slots.length; ) {
      const chunk = slots[i].decoder.nextChunk();
      if (chunk) {
        x.set(chunk, ready.length * T * featureDim);
        ready.push(slots[i++]);
        continue;
      }
      const { index, decoder } = slots[i];
      results[index] = decoder.finish(utterances[index].id);
      onResult?.(index, results[index]);
      slots.splice(i, 1);
    }
    if (ready.length === 0) continue;
    const outputs = model.runEncoderBatch(
      x.subarray(0, ready.length * T * featureDim),
      ready.map((s) => s.decoder.encoderState),
      ready.map((s) => s.decoder.framesProcessed),
    );
    ready.forEach((s, b) => s.decoder.acceptChunkOutput(outputs[b].out, outputs[b].state));
  }
}
