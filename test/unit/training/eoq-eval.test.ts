/**
 * training/eoq_eval.py (the report's end-of-query section) decides as the app's end-pointer does: on
 * hand-made streams, its end-of-query rule alone and its whole default final end-pointer fire at the
 * decision times the engine gives (decide-endpoint.ts, endpoint-stream.ts), with the knobs the engine
 * uses, and it refuses decode lines whose decision it cannot reproduce.
 * Needs numpy in /usr/bin/python3; without it the test is skipped, saying so.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstEndpointFrame } from '../../../src/engine/endpoint/decide-endpoint';
import { defaultEndpointConfig, defaultEndpointKnobs } from '../../../src/engine/endpoint/endpoint-config';
import { decisionTimeS, type EndpointStream } from '../../../src/engine/endpoint/endpoint-stream';
import { silence, stream } from '../endpoint/trace-builder';
import { python, pythonMissing } from './debian-python';

const root = join(__dirname, '..', '..', '..');
const missing = pythonMissing('import numpy', 'numpy', 'the check of training/eoq_eval.py against the engine');

/** Streams in 8-frame chunks, as the model decodes (a decision is known at its chunk's end). */
const cases: Record<string, EndpointStream> = {
  // A pause in mid-utterance where the head is sure for 2 frames: the rule fires inside it.
  'sure in a pause': stream(`WW${silence(6)}WW${silence(14)}`, { eoq: `0000009900000099999999999999`, chunkFrames: 8 }),
  // Sure for one frame only, then again for long: it waits for the second run.
  'one frame is not enough': stream(`WW${silence(20)}`, { eoq: '0000090000999', chunkFrames: 8 }),
  // Sure all along: nothing is decoded before frame 5, then it waits for 0.16 s of blanks after it.
  'needs trailing silence': stream(`${silence(5)}W${silence(12)}`, { eoq: '9', chunkFrames: 8 }),
  // Sure before anything was decoded: never (the silence rule needs something decoded too).
  'nothing said yet': stream(silence(30), { eoq: '9', chunkFrames: 8 }),
  // Never sure: only the 0.8 s trailing-silence rule of the final end-pointer fires.
  'never sure': stream(`WWW${silence(30)}`, { eoq: '3', chunkFrames: 8 }),
  // Neither within the audio.
  'no fire': stream(`WW${silence(6)}`, { eoq: '5', chunkFrames: 8 }),
};

const headOnly = { ...defaultEndpointConfig, rules: defaultEndpointConfig.rules.filter((r) => r.name === 'end-of-query') };
const timeOf = (s: EndpointStream, frame: number | null): number | null => (frame === null ? null : decisionTimeS(s, frame));
const lineOf = (id: string, s: EndpointStream, finalS: number | null): object => ({ id, trace: s.trace, partials: s.partials, endpoints: { final_s: finalS } });

function runPython(lines: object[], code: string): unknown {
  const file = join(dir, 'lines.json');
  writeFileSync(file, JSON.stringify(lines));
  const script = `import json, sys\nsys.path.insert(0, 'training')\nimport eoq_eval as E\nlines = json.load(open(${JSON.stringify(file)}))\nknobs = E.default_knobs()\n${code}`;
  return JSON.parse(execFileSync(python, ['-c', script], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as unknown;
}

const dir = mkdtempSync(join(tmpdir(), 'earshot-eoq-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(missing !== null)('the report’s end-of-query measure (training/eoq_eval.py)', () => {
  it('reads the knobs the engine uses', () => {
    expect(runPython([], 'print(json.dumps(knobs))')).toEqual(defaultEndpointKnobs);
  });

  it('fires the end-of-query rule, and the whole final end-pointer, when the engine does', () => {
    const names = Object.keys(cases);
    const head = names.map((n) => timeOf(cases[n], firstEndpointFrame(cases[n].trace, headOnly)));
    const final = names.map((n) => timeOf(cases[n], firstEndpointFrame(cases[n].trace, defaultEndpointConfig)));
    // The cases mean what they say: a cut-off in the pause, a head that waits, one that never fires.
    expect(head).toEqual([0.32, 0.64, 0.64, null, null, null]);
    expect(final[4]).not.toBeNull();
    const lines = names.map((n, i) => lineOf(n, cases[n], final[i]));
    const ours = runPython(lines, 'E.check_against_app(lines, knobs)\nprint(json.dumps(E.head_fires(lines, knobs)))');
    expect(ours).toEqual(head);
  });

  it('refuses decode lines whose final decision it does not reproduce', () => {
    const s = cases['never sure'];
    const wrong = lineOf('never sure', s, 0.32);
    expect(() => runPython([wrong], 'E.check_against_app(lines, knobs)\nprint(1)')).toThrow(/no longer match src\/engine\/endpoint/);
  });

  it('counts a decision before the end of speech as a cut-off, and the least dev threshold that keeps to the target', () => {
    const s = cases['sure in a pause'];
    const lines = [lineOf('pause', s, null)];
    // Speech ends at frame 12 (0.48 s): the head's decision at 0.32 s cuts it off; one at 0.99 never fires.
    const r = runPython(lines, 'st = E.stats(E.head_fires(lines, knobs), [0.48])\nthr, _ = E.dev_threshold(lines, [0.48], knobs, grid=[0.8, 0.9, 0.99])\nprint(json.dumps([st["cutoff_rate"], thr]))');
    expect(r).toEqual([1, 0.99]);
  });

  it("reads a model's own threshold where its model.json names one, as a decode with that model decides", () => {
    const model = mkdtempSync(join(dir, 'model-'));
    const knobsOf = (folder: string): unknown => runPython([], `print(json.dumps(E.default_knobs(model_dir=${JSON.stringify(folder)})))`);
    expect(knobsOf(model), 'a folder without model.json').toEqual(defaultEndpointKnobs);
    writeFileSync(join(model, 'model.json'), JSON.stringify({ eoq: { output: 'eoq_logit', default_threshold: 0.94 } }));
    expect(knobsOf(model)).toEqual({ ...defaultEndpointKnobs, eoqThreshold: 0.94 });
  });

  it('calibrates a threshold on dev: the least that keeps the cut-offs of the utterances with pauses to 5 %', () => {
    // Two dev utterances with a pause (frames 2–7) where the head says 0.85 and 0.75, and 0.95 after the
    // speech ends (frame 24, 0.96 s). No cut-off among two means a threshold above 0.85: 0.86 on the grid.
    const pausy = (inPause: string): EndpointStream => stream(`WW${silence(6)}${'W'.repeat(16)}${silence(14)}`, { eoq: `00${inPause.repeat(6)}${'0'.repeat(16)}${'9'.repeat(14)}`, chunkFrames: 8 });
    const sure = pausy('9');
    sure.trace.eoqProb = sure.trace.eoqProb.map(() => 1);
    const linesOf = (streams: EndpointStream[]): object[] => streams.map((s, i) => lineOf(`dev${i}`, s, timeOf(s, firstEndpointFrame(s.trace, defaultEndpointConfig))));
    const calibrate = (streams: EndpointStream[]): unknown =>
      runPython(linesOf(streams), `import calibrate_eoq as C
rows = [{"pauses": [[0.08, 0.32]], "speech_end": 0.96} for _ in lines]
thr, rec = C.calibration({"dev_cmd": (rows, lines)}, knobs, 0.8)
print(json.dumps([thr, rec["met"], rec["n_pauses"], rec["sweep"]["0.8"]["cutoff_rate"]]))`);
    expect(calibrate([pausy('8'), pausy('7')])).toEqual([0.86, true, 2, 0.5]);
    // A head sure in every pause meets it at no threshold: the app's default stays, and the record says so.
    expect(calibrate([sure, pausy('7')])).toEqual([0.8, false, 2, 0.5]);
  });
});
