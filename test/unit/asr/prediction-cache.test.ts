/**
 * The prediction-network cache: which contexts reach the network, in which calls, and why a
 * beam search may take rows from the cache greedy search fills (a row computed alone is the
 * same in every cache) but keeps the rows it computed in a batch to itself.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PredictionCache } from '../../../src/engine/asr/prediction-cache';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { TableJoint, tokenId } from './table-joint';

const A = tokenId('a');
const B = tokenId('b');

describe('prediction cache', () => {
  it('computes the contexts it lacks in one call, each once, in order of first appearance', () => {
    const net = new TableJoint();
    const cache = new PredictionCache(net);
    const rows = cache.rows([
      [0, A],
      [0, B],
      [0, A],
    ]);
    expect(net.decoderCalls).toBe(1);
    expect(net.decoderContexts).toEqual([
      [0, A],
      [0, B],
    ]);
    expect(rows.subarray(2 * net.joinerDim, 3 * net.joinerDim)).toEqual(rows.subarray(0, net.joinerDim));
    cache.rows([
      [0, B],
      [0, A],
    ]);
    expect(net.decoderCalls).toBe(1);
  });

  it('writes several rows into the buffer it is given, and returns a cached row itself for one context', () => {
    const net = new TableJoint();
    const cache = new PredictionCache(net);
    const out = new Float32Array(4 * net.joinerDim);
    const two = cache.rows(
      [
        [0, A],
        [0, B],
      ],
      out,
    );
    expect(two.buffer).toBe(out.buffer);
    expect(two.length).toBe(2 * net.joinerDim);
    expect(two[B + net.joinerDim]).toBe(1);
    expect(cache.rows([[0, A]])).toBe(cache.row([0, A]));
  });

  it('starts over when full, keeping the rows of the call at hand', () => {
    const net = new TableJoint();
    const cache = new PredictionCache(net, 2);
    cache.rows([
      [0, A],
      [0, B],
    ]);
    const rows = cache.rows([
      [0, A],
      [A, B],
    ]);
    expect(rows[A]).toBe(1);
    expect(rows[net.joinerDim + B]).toBe(1);
    cache.row([0, B]);
    expect(net.decoderContexts.map((c) => c.join(','))).toEqual([`0,${A}`, `0,${B}`, `${A},${B}`, `0,${B}`]);
  });

  it('takes a row it lacks alone from the shared cache, so greedy and beam search compute it once', () => {
    const net = new TableJoint();
    const greedyRow = PredictionCache.singles(net).row([0, A]);
    const beamCache = new PredictionCache(net);
    expect(beamCache.row([0, A])).toBe(greedyRow);
    beamCache.row([A, B]);
    expect(PredictionCache.singles(net).row([A, B])).toBe(beamCache.row([A, B]));
    expect(net.decoderCalls).toBe(2);
  });
});

describe('prediction rows of the tiny int8 model', () => {
  let model: TransducerModel;
  beforeAll(() => {
    model = TransducerModel.load(join(__dirname, '../../fixtures/tiny-model'), { variant: 'int8' });
  });
  afterAll(() => model?.release());

  it('are the same computed alone in any cache, but a batch quantises its rows together', () => {
    const contexts = [
      [-1, 0],
      [0, A],
      [A, B],
    ];
    const alone = contexts.map((c) => model.runDecoder([c]));
    const beamCache = new PredictionCache(model);
    contexts.forEach((c, i) => expect(beamCache.row(c)).toEqual(alone[i]));
    // One scale per call: rows computed together differ from rows computed alone.
    const together = model.runDecoder(contexts);
    const dim = model.joinerDim;
    expect(contexts.some((_, i) => together.subarray(i * dim, (i + 1) * dim).some((v, j) => v !== alone[i][j]))).toBe(true);
    expect(new PredictionCache(model).rows(contexts)).toEqual(together);
  });
});
