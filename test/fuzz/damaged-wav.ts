/**
 * What the WAV fuzzers feed their parser: valid files damaged (bytes poked, 32-bit length
 * fields overwritten with edge values, the file cut short), and random bytes behind a
 * RIFF/WAVE signature.
 */
import fc from 'fast-check';

const EDGE_WORDS = [0, 1, 3, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

export function damagedWav(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(...EDGE_WORDS)), { maxLength: 3 }),
      fc.option(fc.nat(), { nil: undefined }),
    )
    .map(([bytes, pokes, words, cut]) => {
      const out = bytes.slice();
      for (const [at, v] of pokes) out[at % out.length] = v;
      const view = new DataView(out.buffer);
      for (const [at, v] of words) {
        const pos = at % Math.max(1, out.length - 3);
        if (pos + 4 <= out.length) view.setUint32(pos, v, true);
      }
      return cut === undefined ? out : out.subarray(0, cut % (out.length + 1));
    });
}

export function randomAfterSignature(maxLength: number): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ maxLength }).map((rest) => new Uint8Array([...new TextEncoder().encode('RIFF\xff\xff\xff\xffWAVE'), ...rest]));
}
