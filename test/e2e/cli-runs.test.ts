/**
 * `earshot decode` and `analyze` as a scheduler or a tired researcher runs them: outputs that
 * must not be overwritten, re-runs that resume, Ctrl-C in the middle, shards and their merge,
 * bad inputs among good ones, and the summaries and exit codes that say how it went.
 */
import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './harness';

const cli = join(root, 'bin', 'earshot.js');
const tinyModel = join(root, 'test', 'fixtures', 'tiny-model');
const demo = join(root, 'resources', 'demo');
const work = mkdtempSync(join(tmpdir(), 'earshot-cli-runs-'));
const env = { ...process.env, EARSHOT_MODEL: tinyModel };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function earshot(args: string[], cwd = work): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env, cwd }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

type Line = { id: string; hyp: string; error?: string; repairs?: string[]; run: Record<string, unknown>; decode_s: number };
const lines = (file: string): Line[] => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
/** The demo recordings under ids u0…u{n−1}, by absolute path (every shard of 4 gets some of 12). */
function manyUtterances(dir: string, n: number): string {
  const demoLines = readFileSync(join(demo, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { audio: string });
  const manifest = join(dir, 'many.jsonl');
  writeFileSync(manifest, Array.from({ length: n }, (_, i) => JSON.stringify({ ...demoLines[i % 5], audio: join(demo, demoLines[i % 5].audio), id: `u${i}` })).join('\n') + '\n');
  return manifest;
}
const fresh = (name: string): string => {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe('earshot decode outputs', () => {
  it('decodes a folder through its manifest.jsonl and prints a WER (earshot decode resources/demo --out x.jsonl)', async () => {
    const dir = fresh('folder');
    const { code, stderr } = await earshot(['decode', demo, '--out', 'x.jsonl'], dir);
    expect(code).toBe(0);
    expect(stderr).toMatch(/x\.jsonl: 9 of 9 utterances/);
    expect(stderr).toMatch(/^WER \d+\.\d % \(\d+ errors in 39 reference words, 9 utterances with a reference\)$/m);
    expect(stderr).toMatch(/^end-pointers over 9 utterances: final p50 \d+ ms, p90 \d+ ms, cut-off/m);
    expect(lines(join(dir, 'x.jsonl')).map((l) => l.id).sort()).toEqual(['call-anna', 'kitchen-lights', 'message-priya', 'real-go', 'real-left', 'real-stop', 'real-yes', 'timer-pause', 'weather-paris']);
  });

  it('never overwrites the input manifest, an unrelated text file or an input recording', async () => {
    const dir = fresh('refuse');
    for (const f of readdirSync(demo)) copyFileSync(join(demo, f), join(dir, f));
    writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
    const before = (f: string): Buffer => readFileSync(join(dir, f));
    const kept = { manifest: before('manifest.jsonl'), notes: before('notes.txt'), wav: before('call-anna.wav') };
    const asInput = await earshot(['decode', join(dir, 'manifest.jsonl'), '--out', join(dir, 'manifest.jsonl')]);
    expect(asInput.code).toBe(1);
    expect(asInput.stderr).toMatch(/is one of this run's inputs; choose another output file \(nothing was written\)/);
    const notes = await earshot(['decode', dir, '--out', join(dir, 'notes.txt')]);
    expect(notes.stderr).toMatch(/notes\.txt exists and is not the output of `earshot decode`/);
    const wav = await earshot(['decode', dir, '--out', join(dir, 'call-anna.wav')]);
    expect(wav.stderr).toMatch(/call-anna\.wav exists and is not the output of `earshot decode`/);
    const manifestOfOther = await earshot(['decode', join(dir, 'manifest.jsonl'), '--out', join(demo, 'manifest.jsonl')]);
    expect(manifestOfOther.stderr).toMatch(/exists and is not the output of `earshot decode`/);
    expect(before('manifest.jsonl')).toEqual(kept.manifest);
    expect(before('notes.txt')).toEqual(kept.notes);
    expect(before('call-anna.wav')).toEqual(kept.wav);
  });

  it('resumes a re-run with the same settings, and refuses other settings naming the option', async () => {
    const dir = fresh('resume');
    const out = join(dir, 'r.jsonl');
    await earshot(['decode', demo, '--out', out, '--beam', '2']);
    const first = readFileSync(out, 'utf8');
    const again = await earshot(['decode', demo, '--out', out, '--beam', '2']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/resuming .*r\.jsonl: 9 of 9 utterances are already there/);
    expect(readFileSync(out, 'utf8')).toBe(first);
    const other = await earshot(['decode', demo, '--out', out, '--beam', '3']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/holds results of another model or other settings \(--beam: 2 there, 3 now\)/);
    const denser = await earshot(['decode', demo, '--out', out, '--beam', '2', '--lattice-beam', '20']);
    expect(denser.code).toBe(1);
    expect(denser.stderr).toMatch(/--lattice-beam: 8 there, 20 now/);
    const otherModel = await earshot(['decode', demo, '--out', out, '--beam', '2', '--model', join(root, 'resources', 'models', 'earshot-rnnt')]);
    expect(otherModel.stderr).toMatch(/the model \(--model\): [0-9a-f]{16} there, [0-9a-f]{16} now/);
    expect(readFileSync(out, 'utf8')).toBe(first);
  });

  it('completes a run killed with kill -9 mid-line, with no duplicate and no missing line', async () => {
    const dir = fresh('kill9');
    const out = join(dir, 'k.jsonl');
    await earshot(['decode', demo, '--out', out]);
    const whole = lines(out);
    // What kill -9 leaves: two whole lines and half of a third.
    const text = readFileSync(out, 'utf8').split('\n');
    writeFileSync(out, `${text[0]}\n${text[1]}\n${text[2].slice(0, 100)}`);
    const resumed = await earshot(['decode', demo, '--out', out]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/dropped an incomplete last line/);
    const after = lines(out);
    expect(after.map((l) => l.id).sort()).toEqual(whole.map((l) => l.id).sort());
    const byId = new Map(whole.map((l) => [l.id, l]));
    for (const line of after) expect({ ...line, decode_s: 0 }).toEqual({ ...byId.get(line.id), decode_s: 0 });
  });

  it('exits 2 when inputs failed (1 of 3 here, and when all did), with a line saying why for each', async () => {
    const dir = fresh('failing');
    copyFileSync(join(demo, 'call-anna.wav'), join(dir, 'good.wav'));
    writeFileSync(join(dir, 'bad.wav'), 'RIFF....WAVEnot really');
    writeFileSync(join(dir, 'empty.wav'), new Uint8Array(0));
    const some = await earshot(['decode', dir, '--out', join(dir, 'out.jsonl')]);
    expect(some.code).toBe(2);
    expect(some.stderr).toMatch(/failed: 2 of 3 utterances/);
    const failed = lines(join(dir, 'out.jsonl')).filter((l) => l.error);
    expect(failed.map((l) => l.id).sort()).toEqual(['bad', 'empty']);
    const allDir = fresh('all-failing');
    writeFileSync(join(allDir, 'bad.wav'), 'RIFF....WAVEnot really');
    expect((await earshot(['decode', allDir, '--out', join(allDir, 'out.jsonl')])).code).toBe(2);
  });

  it('decodes several utterances per worker task (--batch) into the lines one at a time writes, a bad file failing alone', async () => {
    const dir = fresh('batch');
    copyFileSync(join(demo, 'call-anna.wav'), join(dir, 'good.wav'));
    copyFileSync(join(demo, 'timer-pause.wav'), join(dir, 'good2.wav'));
    writeFileSync(join(dir, 'bad.wav'), 'RIFF....WAVEnot really');
    // Float graphs batch by default: every line is the one its utterance gets alone.
    const batched = await earshot(['decode', dir, '--out', join(dir, 'batched.jsonl'), '--variant', 'fp32', '--workers', '1']);
    const alone = await earshot(['decode', dir, '--out', join(dir, 'alone.jsonl'), '--variant', 'fp32', '--workers', '1', '--batch', '1']);
    expect([batched.code, alone.code]).toEqual([2, 2]);
    const byId = new Map(lines(join(dir, 'alone.jsonl')).map((l) => [l.id, l]));
    const got = lines(join(dir, 'batched.jsonl'));
    expect(got.map((l) => l.id).sort()).toEqual(['bad', 'good', 'good2']);
    for (const line of got) expect({ ...line, decode_s: 0 }).toEqual({ ...byId.get(line.id), decode_s: 0 });
    expect(got.find((l) => l.id === 'bad')?.error).toMatch(/bad\.wav/);
    // int8 graphs share one activation scale per batch: off by default, and the run says when it is on.
    const int8 = await earshot(['decode', dir, '--out', join(dir, 'int8.jsonl'), '--batch', '3']);
    expect(int8.code).toBe(2);
    expect(lines(join(dir, 'int8.jsonl'))[0].run).toMatchObject({ variant: 'int8', batch: 3 });
    expect(lines(join(dir, 'alone.jsonl'))[0].run).not.toHaveProperty('batch');
    const other = await earshot(['decode', dir, '--out', join(dir, 'int8.jsonl')]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/--batch: 3 there, 1 now/);
  });

  it('reports what was mended in a damaged recording on its line', async () => {
    const dir = fresh('repairs');
    const wav = readFileSync(join(demo, 'kitchen-lights.wav'));
    // A data chunk that claims 100 MB: the header's size field, past the fmt chunk.
    const liar = Buffer.from(wav);
    liar.writeUInt32LE(100_000_000, liar.indexOf('data') + 4);
    writeFileSync(join(dir, 'liar.wav'), liar);
    await earshot(['decode', dir, '--out', join(dir, 'out.jsonl')]);
    expect(lines(join(dir, 'out.jsonl'))[0].repairs?.[0]).toMatch(/^header claims 100\.0 MB of audio \(.* s\), the file holds .* \(\d\.\d\d s\); reading what is there$/);
  });

  it('accepts absolute audio paths outside the folder of a manifest named on the command line', async () => {
    const dir = fresh('absolute');
    writeFileSync(join(dir, 'nemo.jsonl'), `${JSON.stringify({ audio_filepath: join(demo, 'timer-pause.wav'), text: 'set a timer for twenty minutes', duration: 4 })}\n`);
    const run = await earshot(['decode', join(dir, 'nemo.jsonl'), '--out', join(dir, 'out.jsonl')]);
    expect(run.code).toBe(0);
    expect(lines(join(dir, 'out.jsonl'))).toHaveLength(1);
  });

  it('caps --workers at the cores and cleans temp files a killed run left', async () => {
    const dir = fresh('workers');
    const orphan = join(dir, '.old.json.999999.0badf00d.tmp');
    writeFileSync(orphan, '{"half":');
    utimesSync(orphan, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    const run = await earshot(['decode', demo, '--out', join(dir, 'out.jsonl'), '--workers', '128']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/--workers 128 is more than this machine's \d+ cores; using \d+/);
    expect(run.stderr).toMatch(/removed .*\.old\.json\.999999\.0badf00d\.tmp, left by a run that was killed/);
    expect(existsSync(orphan)).toBe(false);
  });

  it('decodes four shards that merge into exactly what one run writes', async () => {
    const dir = fresh('shards');
    const manifest = manyUtterances(dir, 12);
    const single = join(dir, 'single.jsonl');
    await earshot(['decode', manifest, '--out', single]);
    const parts = [0, 1, 2, 3].map((i) => join(dir, `part-${i}.jsonl`));
    for (const [i, part] of parts.entries()) expect((await earshot(['decode', manifest, '--out', part, '--shard', `${i}/4`])).code).toBe(0);
    const sizes = parts.map((p) => lines(p).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(12);
    const missing = await earshot(['merge', ...parts.slice(1), '--out', join(dir, 'partial.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/shard 0\/4 is missing/);
    const twice = await earshot(['merge', parts[0], ...parts, '--out', join(dir, 'partial.jsonl')]);
    expect(twice.stderr).toMatch(/shard 0\/4 is given twice/);
    const merged = join(dir, 'merged.jsonl');
    const run = await earshot(['merge', ...parts.reverse(), '--out', merged, '--input', manifest]);
    expect(run.code).toBe(0);
    const strip = (l: Line): Line => ({ ...l, decode_s: 0 });
    const byId = new Map(lines(single).map((l) => [l.id, strip(l)]));
    const mergedLines = lines(merged);
    expect(mergedLines.map((l) => l.id)).toEqual(Array.from({ length: 12 }, (_, i) => `u${i}`));
    for (const line of mergedLines) expect(strip(line)).toEqual(byId.get(line.id));
    // The merged file is the unsharded run: decoding the whole input again finds nothing to do.
    const resume = await earshot(['decode', manifest, '--out', merged]);
    expect(resume.stderr).toMatch(/12 of 12 utterances are already there/);
  });
});

describe('shards of a small data set', () => {
  it('leave a shard with no utterance empty, and merge --input expects nothing from it', async () => {
    const dir = fresh('empty-shards');
    // Nine demo utterances in eight shards: some shards get none.
    const parts: string[] = [];
    for (let i = 0; i < 8; i++) {
      const part = join(dir, `part-${i}.jsonl`);
      const run = await earshot(['decode', demo, '--out', part, '--shard', `${i}/8`]);
      expect(run.code).toBe(0);
      if (existsSync(part)) parts.push(part);
      else expect(run.stderr).toMatch(new RegExp(`shard ${i}/8 holds none of the 9 utterances`));
    }
    expect(parts.length).toBeLessThan(8);
    expect((await earshot(['merge', ...parts, '--out', join(dir, 'without-input.jsonl')])).stderr).toMatch(/missing/);
    const merged = await earshot(['merge', ...parts, '--out', join(dir, 'merged.jsonl'), '--input', demo]);
    expect(merged.code).toBe(0);
    expect(lines(join(dir, 'merged.jsonl'))).toHaveLength(9);
  });
});

describe('earshot analyze outputs', () => {
  it('records a bad file in the session and goes on, exiting 2', async () => {
    const dir = fresh('analyze');
    copyFileSync(join(demo, 'call-anna.wav'), join(dir, 'good.wav'));
    writeFileSync(join(dir, 'bad.wav'), 'RIFF....WAVEnot really');
    const run = await earshot(['analyze', dir, '--out', join(dir, 'session.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/failed: bad: /);
    const session = JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')) as { utterances: Array<{ id: string; result?: unknown; error?: string }> };
    expect(session.utterances.find((u) => u.id === 'good')?.result).toBeDefined();
    expect(session.utterances.find((u) => u.id === 'bad')?.error).toMatch(/bad\.wav/);
  });

  it('refuses to replace a damaged session or any file that is not a session', async () => {
    const dir = fresh('analyze-refuse');
    writeFileSync(join(dir, 'damaged.json'), '{"format":"earshot-session","version":2,');
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    const damaged = await earshot(['analyze', demo, '--out', join(dir, 'damaged.json')]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/damaged\.json exists and cannot be read as an Earshot session/);
    expect(readFileSync(join(dir, 'damaged.json'), 'utf8')).toBe('{"format":"earshot-session","version":2,');
    expect((await earshot(['analyze', demo, '--out', join(dir, 'notes.txt')])).stderr).toMatch(/notes\.txt exists and is not an Earshot session/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('keeps the session it replaces as .bak, and prints the WER', async () => {
    const dir = fresh('analyze-again');
    const out = join(dir, 's.json');
    await earshot(['analyze', demo, '--out', out]);
    const first = readFileSync(out, 'utf8');
    const again = await earshot(['analyze', demo, '--out', out]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^WER \d+\.\d %/m);
    expect(again.stderr).toMatch(/kept as .*s\.json\.bak/);
    expect(readFileSync(`${out}.bak`, 'utf8')).toBe(first);
  });
});

describe('earshot analyze in shards', () => {
  it('writes sessions that merge into the session one run writes', async () => {
    const dir = fresh('session-shards');
    const manifest = manyUtterances(dir, 8);
    await earshot(['analyze', manifest, '--out', join(dir, 'single.json')]);
    for (const i of [0, 1]) expect((await earshot(['analyze', manifest, '--out', join(dir, `part-${i}.json`), '--shard', `${i}/2`])).code).toBe(0);
    expect((await earshot(['merge', join(dir, 'part-1.json'), '--out', join(dir, 'half.json')])).stderr).toMatch(/shard 0\/2 is missing/);
    const run = await earshot(['merge', join(dir, 'part-1.json'), join(dir, 'part-0.json'), '--out', join(dir, 'merged.json'), '--input', manifest]);
    expect(run.code).toBe(0);
    type S = { utterances: Array<{ id: string; recordingId: string; result: { decode: { hyp: string; stats: Record<string, number> } } }>; recordings: Array<{ id: string; path: string; sha256: string }>; model: { config: Record<string, unknown> } };
    const read = (f: string): S => JSON.parse(readFileSync(join(dir, f), 'utf8')) as S;
    const single = read('single.json');
    const merged = read('merged.json');
    const comparable = (s: S) => ({
      utterances: s.utterances.map((u) => ({ ...u, result: { ...u.result, decode: { ...u.result.decode, stats: { ...u.result.decode.stats, decodeS: 0 } } } })),
      recordings: s.recordings,
      config: s.model.config,
    });
    expect(comparable(merged)).toEqual(comparable(single));
  });
});

describe('earshot help and messages', () => {
  it('answers --help on every command and --version', async () => {
    for (const command of ['decode', 'analyze', 'sweep', 'export', 'serve', 'merge']) {
      const run = await earshot([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^earshot ${command} `));
    }
    const version = await earshot(['--version']);
    expect(version.stdout.trim()).toBe(`earshot ${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}`);
  });

  it('names a missing --context file and an unknown option', async () => {
    const missing = await earshot(['decode', demo, '--out', join(work, 'c.jsonl'), '--context', 'no-such-list.txt']);
    expect(missing.stderr).toMatch(/--context no-such-list\.txt: cannot read the biasing list \(no such file\)/);
    expect(missing.stderr).not.toMatch(/ENOENT/);
    const unknown = await earshot(['decode', demo, '--bogus']);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'\n\nusage: earshot decode/);
  });

  it('tells sweep users given a session what sweep reads, naming a real command', async () => {
    const dir = fresh('sweep-session');
    await earshot(['analyze', demo, '--out', join(dir, 's.json')]);
    const run = await earshot(['sweep', join(dir, 's.json'), '--out', join(dir, 'sweep.json')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is a session .*; sweep reads the results of `earshot decode`/);
    expect(run.stderr).not.toMatch(/traces on/);
  });
});

describe('Ctrl-C during decode', () => {
  it('exits 130 with whole lines in 5 of 5 trials, and a re-run completes them', async () => {
    const dir = fresh('sigint');
    const manifest = manyUtterances(dir, 30);
    for (let trial = 0; trial < 5; trial++) {
      const out = join(dir, `t${trial}.jsonl`);
      const child = spawn(process.execPath, [cli, 'decode', manifest, '--out', out, '--beam', '8', '--workers', '2'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/decode: [1-9]\d*\//.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
      expect({ code, signal, aborted: /terminate called|Napi::Error/.test(stderr) }).toEqual({ code: expect.any(Number), signal: null, aborted: false });
      expect([0, 130]).toContain(code);
      expect(readFileSync(out, 'utf8').endsWith('\n')).toBe(true);
      const resumed = await earshot(['decode', manifest, '--out', out, '--beam', '8', '--workers', '2']);
      expect(resumed.code).toBe(0);
      const ids = lines(out).map((l) => l.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(30);
    }
  });
});

describe('Ctrl-C during analyze', () => {
  it('saves the utterances in hand as a valid session and exits 130', async () => {
    const dir = fresh('sigint-analyze');
    const manifest = manyUtterances(dir, 30);
    const out = join(dir, 's.json');
    const child = spawn(process.execPath, [cli, 'analyze', manifest, '--out', out, '--beam', '8', '--workers', '2'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/analyze: [1-9]\d*\//.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    expect({ code, signal, aborted: /terminate called|Napi::Error/.test(stderr) }).toEqual({ code: 130, signal: null, aborted: false });
    const session = JSON.parse(readFileSync(out, 'utf8')) as { format: string; utterances: Array<{ result?: unknown }> };
    expect(session.format).toBe('earshot-session');
    expect(session.utterances.length).toBeGreaterThan(0);
    expect(session.utterances.length).toBeLessThan(30);
    expect(session.utterances.every((u) => u.result !== undefined)).toBe(true);
  });
});
