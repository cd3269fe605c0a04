/** What a lattice costs to send against the audio, per utterance and over a data set. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { latticeSizes } from '../../../src/engine/lattice/lattice-size';
import { latticeTotalsOf } from '../../../src/engine/lattice/lattice-totals';
import { bandwidthOf, type DecodeStats, type Lattice } from '../../../src/shared/domain/decode';

const SLF = ['VERSION=1.0', 'N=3 L=2', 'I=0 t=0.000', 'I=1 t=0.400', 'I=2 t=1.000', 'J=0 S=0 E=1 W=turn a=-1.5 l=0 p=1', 'J=1 S=1 E=2 W=on a=-0.5 l=0 p=1', ''].join('\n');

function result(durationS: number, arcs: number, gz: number | undefined) {
  const stats: DecodeStats = { decodeS: 0.1, durationS, latticeBytes: 500, ...(gz === undefined ? {} : { latticeGzBytes: gz }), audioBytes: Math.round(durationS * 32000) };
  const lattice = { arcs: new Array(arcs).fill(null) } as unknown as Lattice;
  return { stats, lattice };
}

describe('bandwidth', () => {
  it('measures the SLF in UTF-8 bytes and gzipped', () => {
    const sizes = latticeSizes(SLF);
    expect(sizes.latticeBytes).toBe(Buffer.byteLength(SLF));
    expect(sizes.latticeGzBytes).toBe(gzipSync(SLF, { level: 9 }).length);
    expect(latticeSizes(SLF.repeat(50)).latticeGzBytes).toBeLessThan(Buffer.byteLength(SLF) * 2);
    expect(latticeSizes('é').latticeBytes).toBe(2);
  });

  it('sets the lattice against 16-bit PCM and Opus at a nominal 24 kbit/s', () => {
    expect(bandwidthOf(result(2.5, 40, 300))).toEqual({ latticeBytes: 500, latticeGzBytes: 300, pcm16Bytes: 80_000, opus24kBytes: 7_500, arcsPerS: 16 });
    expect(bandwidthOf(result(2, 4, undefined)).latticeGzBytes).toBeNull();
  });

  it('gives a data set arcs per second of audio, percentiles of the gzipped share and the oracle errors summed', () => {
    const items = [1, 2, 3, 4, 5].map((k) => {
      const r = result(1, 10 * k, 32 * k); // gz/PCM = k/1000
      return { arcs: r.lattice.arcs.length, durationS: 1, bandwidth: bandwidthOf(r), oracle: k === 5 ? null : { words: 4, nbestErrors: 2, latticeErrors: 1 } };
    });
    const t = latticeTotalsOf(items);
    expect(t.arcsPerS).toBe(30);
    expect(t.gzToPcmP50).toBeCloseTo(0.003, 9);
    expect(t.gzToPcmP90).toBeCloseTo(0.0046, 9);
    expect(t.gzToOpusP90).toBeCloseTo((0.0046 * 32000) / 3000, 9);
    expect(t.oracle).toEqual({ utterances: 4, words: 16, nbestErrors: 8, latticeErrors: 4 });
    expect(latticeTotalsOf([]).oracle).toBeNull();
  });
});
