import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEarshotManifest } from '../../../src/engine/session/import/earshot-manifest';
import { parseKaldiDataDir } from '../../../src/engine/session/import/kaldi-data-dir';
import { parseLibriSpeechTranscript } from '../../../src/engine/session/import/librispeech';
import { parseNemoManifest } from '../../../src/engine/session/import/nemo-manifest';
import { parseSession } from '../../../src/engine/session/load-session';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { parseJournal } from '../../../src/engine/session/recovery-journal';
import { serializeSession } from '../../../src/engine/session/save-session';
import { SessionError } from '../../../src/engine/session/session-error';
import { sampleSession } from './session-fixtures';

/**
 * The loaders must never throw anything but SessionError (ImportError is one). 300 cases per
 * property here; the fuzz run is `EARSHOT_FUZZ_RUNS=10000 npx vitest run test/unit/session/loaders.fuzz.test.ts`.
 */
const RUNS = Number(process.env.EARSHOT_FUZZ_RUNS ?? 300);
const guard = new PathGuard(['/fuzz']);

function onlySessionErrors(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof SessionError)) throw err;
    expect(err.message.length).toBeGreaterThan(err.file.length + 2);
  }
}

/** Every path into a JSON document, to mutate valid sessions one spot at a time. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function mutate(doc: unknown, path: (string | number)[], replacement: unknown, remove: boolean): unknown {
  if (!path.length) return replacement;
  const copy = (Array.isArray(doc) ? [...doc] : { ...(doc as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = path;
  if (remove && !rest.length) delete copy[head];
  else copy[head] = mutate(copy[head], rest, replacement, remove);
  return copy;
}

const validText = serializeSession({ ...sampleSession(), annotations: { a: { correctedText: 'x', trueEndS: 1, tags: ['t'], notes: '', flags: ['bad-cutoff'] } } });
const validDoc: unknown = JSON.parse(validText);
const paths = pathsOf(validDoc);
const nastyKey = fc.constantFrom('__proto__', 'constructor', 'version', 'format', 'id', 'recordings', 'utterances', 'annotations', 'prototype', 'toString');
const nastyValue = fc.oneof(fc.jsonValue(), fc.constantFrom('Infinity', '-Infinity', 'NaN', -1, 1e308, '', 2, 0, 1, null), fc.dictionary(nastyKey, fc.jsonValue()));
const lines = (line: fc.Arbitrary<string>) => fc.array(line, { maxLength: 6 }).map((ls) => ls.join('\n'));
const manifestLine = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        audio: fc.oneof(fc.string(), fc.constantFrom('a.wav', '../x.wav', '/etc/passwd', ''), fc.jsonValue()),
        audio_filepath: fc.oneof(fc.string(), fc.constantFrom('a.wav', '../../x.wav'), fc.jsonValue()),
        duration: fc.oneof(fc.double(), fc.jsonValue()),
        offset: fc.oneof(fc.double(), fc.jsonValue()),
        text: fc.oneof(fc.string(), fc.jsonValue()),
        id: fc.oneof(fc.string(), nastyKey),
        context: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
        speech_start: fc.oneof(fc.double(), fc.jsonValue()),
        speech_end: fc.oneof(fc.double(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
);
const kaldiLine = fc.oneof(
  fc.string(),
  fc.tuple(fc.oneof(nastyKey, fc.constantFrom('r1', 'u1', 'u2')), fc.constantFrom('a.wav', 'sox a.flac - |', '/x.wav', '', 'r1 0 1', 'r1 2 -1', 'r1 x y'), fc.string()).map(
    ([a, b, c]) => `${a} ${b}${c}`,
  ),
);

describe('loaders under fuzzing', () => {
  it('parseSession: arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => onlySessionErrors(() => parseSession(text, 's.json'))), { numRuns: RUNS });
  });

  it('parseSession: arbitrary JSON, old and current shapes', () => {
    const shaped = fc.record({ format: fc.constantFrom('earshot-session', 'x'), version: fc.constantFrom(0, 1, 2, 3, -1, 1.5, '2'), items: fc.jsonValue(), recordings: fc.jsonValue(), annotations: fc.jsonValue() }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), shaped), (doc) => onlySessionErrors(() => parseSession(JSON.stringify(doc) ?? 'null', 's.json'))), { numRuns: RUNS });
  });

  it('parseSession: valid sessions with one spot mutated', () => {
    fc.assert(
      fc.property(fc.constantFrom(...paths), nastyValue, fc.boolean(), nastyKey, (path, value, remove, key) => {
        const doc = mutate(validDoc, path, value, remove);
        onlySessionErrors(() => parseSession(JSON.stringify(doc), 's.json'));
        onlySessionErrors(() => parseSession(JSON.stringify(mutate(validDoc, [...path.slice(0, -1), key], value, remove)), 's.json'));
      }),
      { numRuns: RUNS },
    );
  });

  it('manifest loaders: arbitrary lines', () => {
    fc.assert(
      fc.property(lines(manifestLine), lines(kaldiLine), lines(kaldiLine), lines(kaldiLine), (manifest, wavScp, text, segments) => {
        onlySessionErrors(() => parseNemoManifest(manifest, '/fuzz/m.jsonl', guard));
        onlySessionErrors(() => parseEarshotManifest(manifest, '/fuzz/m.jsonl', guard));
        onlySessionErrors(() => parseLibriSpeechTranscript(text, '/fuzz/1/2/1-2.trans.txt', guard));
        onlySessionErrors(() => parseKaldiDataDir({ wavScp, text, segments }, '/fuzz/data/train', guard));
        onlySessionErrors(() => parseKaldiDataDir({ wavScp, text }, '/fuzz/d', guard));
        expect(() => parseJournal(manifest)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
