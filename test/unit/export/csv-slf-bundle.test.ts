import fc from 'fast-check';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCsv, writeCsv } from '../../../src/engine/export/csv';
import { exportSession, EXPORT_FORMATS } from '../../../src/engine/export/export-session';
import { metricsCsv } from '../../../src/engine/export/metrics-csv';
import { readSessionBundle, writeSessionBundle } from '../../../src/engine/export/session-bundle';
import { readSlf, writeSlf } from '../../../src/engine/lattice/slf';
import { annotate } from '../../../src/engine/session/annotations';
import { loadSession } from '../../../src/engine/session/load-session';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { SessionError } from '../../../src/engine/session/session-error';
import { decodeOf, sampleSession } from '../session/session-fixtures';
import { expectGolden } from './golden';

let dir: string;
let guard: PathGuard;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-export-'));
  guard = new PathGuard([dir]);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('metrics CSV', () => {
  it('has one row per utterance with WER and latency from the annotated reference', () => {
    const session = annotate(sampleSession(), 'a', { trueEndS: 1, tags: ['x,y'], flags: ['bad-cutoff'] });
    const csv = metricsCsv(session);
    expectGolden('metrics.csv', csv);
    const [header, a, b] = readCsv(csv);
    const row = Object.fromEntries(header.map((h, i) => [h, a[i]]));
    expect(row).toMatchObject({ utterance_id: 'a', wer: '0.5', reference_end_source: 'marked', reference_end_s: '1', final_end_s: '1.1', tags: 'x,y', flags: 'bad-cutoff' });
    expect(Number(row.final_latency_s)).toBeCloseTo(0.1);
    expect(b[header.indexOf('wer')]).toBe('');
  });

  it('round-trips any text through RFC 4180 quoting', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        // A lone empty field on a line is indistinguishable from a blank line; every CSV reader agrees.
        fc.pre(rows.every((r) => r.length > 1 || r[0] !== ''));
        expect(readCsv(writeCsv(rows))).toEqual(rows);
      }),
      { numRuns: 300 },
    );
    expect(writeCsv([['a"b', 'c,d', 'e\nf', 'plain']])).toBe('"a""b","c,d","e\nf",plain\r\n');
    expect(() => readCsv('"open', 'm.csv')).toThrow(SessionError);
  });
});

describe('HTK SLF (lattice/slf.ts)', () => {
  it('round-trips a session lattice', () => {
    const lattice = decodeOf().lattice;
    const text = writeSlf(lattice, 'a');
    expectGolden('utterance.lat', text);
    expect(readSlf(text)).toEqual(lattice);
  });
});

describe('session bundle', () => {
  it('zips the session with its audio under relative paths, and reads back', async () => {
    const session = sampleSession(dir);
    await writeFile(join(dir, 'a.wav'), 'RIFF-a');
    await writeFile(join(dir, 'b.wav'), Buffer.alloc(300_000, 7));
    const out = join(dir, 'bundle.zip');
    await writeSessionBundle(session, out, { guard, includeAudio: true });
    const { session: back, audioEntries } = readSessionBundle(await readFile(out));
    expect(audioEntries).toEqual(['audio/a.wav', 'audio/b.wav']);
    expect(back.recordings.map((r) => r.path)).toEqual(['audio/a.wav', 'audio/b.wav']);
    expect({ ...back, recordings: session.recordings }).toEqual(session);

    await writeSessionBundle(session, out, { guard, includeAudio: false });
    expect(readSessionBundle(await readFile(out)).audioEntries).toEqual([]);
    expect(() => readSessionBundle(new Uint8Array([1, 2, 3]), 'x.zip')).toThrow(SessionError);
  });

  it('leaves no partial bundle when audio is missing', async () => {
    const out = join(dir, 'bundle.zip');
    await expect(writeSessionBundle(sampleSession(dir), out, { guard, includeAudio: true })).rejects.toThrow(SessionError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('exportSession', () => {
  it('writes every format into the folder, with progress', async () => {
    const session = sampleSession(dir);
    session.utterances[1].id = 'odd/id: 1';
    const progress: string[] = [];
    for (const format of EXPORT_FORMATS) {
      const files = await exportSession(session, format, join(dir, 'out', format), { guard, onProgress: (d, t) => progress.push(`${format} ${d}/${t}`) });
      expect(files.length).toBeGreaterThan(0);
    }
    expect((await readdir(join(dir, 'out', 'textgrid'))).sort()).toEqual(['a.TextGrid', 'odd_id_1.TextGrid']);
    expect(await readdir(join(dir, 'out', 'slf'))).toEqual(['a.lat']);
    expect(progress).toContain('audacity 2/2');
    await expect(exportSession(session, 'csv', join(dir, '..', 'out'), { guard })).rejects.toThrow(/outside the folders you opened/);
  });

  it('exports a reopened session identically', async () => {
    const session = annotate(sampleSession(dir), 'a', { correctedText: 'hello world' });
    const { saveSession } = await import('../../../src/engine/session/save-session');
    await saveSession(join(dir, 's.json'), session, { guard });
    const { session: reopened } = await loadSession(join(dir, 's.json'), { guard });
    expect(metricsCsv(reopened)).toBe(metricsCsv(session));
  });
});
