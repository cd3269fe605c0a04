import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiParams } from '../../../src/shared/api';
import { toHostMessageSchema, type FromHostMessage, type ResponseMessage } from '../../../src/shared/protocol';
import { readClientMessage } from '../../../src/server/client-messages';
import { HostRouter } from '../../../src/host/host-router';
import { createDispatcher } from '../../../src/host/dispatch';
import { createHandlers } from '../../../src/host/handlers';
import { Workspace } from '../../../src/host/workspace';
import { LiveSessions } from '../../../src/host/live-sessions';
import { FileAccess } from '../../../src/host/file-access';
import type { JobContext } from '../../../src/host/job-context';
import { serializeSession } from '../../../src/engine/session/save-session';
import { sampleSession } from '../session/session-fixtures';

/**
 * Fuzzes the browser shell's WebSocket message handler and what lies behind it: raw frames
 * through readClientMessage, then whatever it forwards through the router and the host's
 * dispatcher into the real handlers, over a real folder of roots. Each message must get
 * exactly one answer, no handler may throw past the dispatcher, and no answer may carry a
 * file's contents. 300 cases per property here; `npm run fuzz` runs 10,000.
 *
 * CPU-bound work goes to worker threads, which a unit test does not start: requests that
 * get that far are answered by a pool that refuses every task (and busyWait's sleeps with them).
 */
const RUNS = Number(process.env.EARSHOT_FUZZ_RUNS ?? 300);
const SECRET = 'FUZZ-SECRET-7f3a';

const dir = mkdtempSync(join(tmpdir(), 'earshot-message-fuzz-'));
const roots = join(dir, 'roots');
const outside = join(dir, 'outside');
mkdirSync(join(roots, 'data'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(roots, 'notes.json'), `${SECRET}\n`);
writeFileSync(join(roots, 'data', 'manifest.jsonl'), `{"audio":"a.wav","text":"${SECRET}"}\n{"audio":"../../outside/b.wav"}\n`);
writeFileSync(join(roots, 'data', 'a.wav'), 'RIFF');
writeFileSync(join(outside, 'b.wav'), SECRET);
symlinkSync(join(outside, 'b.wav'), join(roots, 'data', 'link.wav'));
// A real session, so annotate, save, export and relink have one to work on.
writeFileSync(join(roots, 'data', 'work.session.json'), serializeSession(sampleSession(join(roots, 'data'))));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noWorkers = {
  run: () => Promise.reject(Object.assign(new Error('no worker threads in this fuzz run'), { code: 'no-workers' })),
} as unknown as JobContext['pool'];

/** A host as the shell sees it: router, dispatcher, real handlers and workspace, roots that hold one folder. */
function shellAndHost() {
  const paths = {
    resourcesDir: join(dir, 'resources'),
    demoFolder: join(dir, 'resources', 'demo'),
    modelDir: join(dir, 'model'),
    cacheDir: join(roots, 'cache'),
    models: { user: join(roots, 'models'), shipped: join(dir, 'resources', 'models') },
    liveDir: join(roots, 'live'),
    catalog: { file: join(dir, 'resources', 'model-catalog.json') },
    documentsDir: join(roots, 'documents'),
    browseRoots: [roots],
  };
  const dispatch = createDispatcher(createHandlers(new Workspace(), new LiveSessions(new URL('./no-live-worker.js', import.meta.url))), { pool: noWorkers, paths, files: new FileAccess([roots]) }, (m) => router.fromHost(m));
  const router = new HostRouter((m) => dispatch(m));
  const received: FromHostMessage[] = [];
  const link = router.attach((m) => received.push(m));
  return { link, received };
}

const interestingPath = fc.constantFrom(
  roots,
  join(roots, 'notes.json'),
  join(roots, 'data'),
  join(roots, 'data', 'manifest.jsonl'),
  join(roots, 'data', 'work.session.json'),
  join(roots, 'data', 'copy.session.json'),
  join(roots, 'data', 'a.wav'),
  join(roots, 'data', 'link.wav'),
  join(roots, 'out'),
  join(roots, 'data', '..', '..', 'outside', 'b.wav'),
  outside,
  '/etc/passwd',
  '/',
  '',
  '%',
  'relative/path.wav',
  `${roots}/\0.wav`,
);

/** The sample session's utterances, and others. */
const utteranceId = fc.oneof(fc.constantFrom('a', 'b'), fc.string({ minLength: 1, maxLength: 10 }));

const value = fc.oneof(
  interestingPath,
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);

const liveSessionId = fc.stringMatching(/^[A-Za-z0-9_-]{8,16}$/);

/** Params shaped as each method wants them (paths from the interesting ones), so requests reach the handlers. */
const fitting: Record<string, fc.Arbitrary<unknown>> = {
  ping: fc.constant({}),
  getDefaults: fc.constant({}),
  busyWait: fc.record({ ms: fc.integer({ min: 0, max: 10 }) }),
  listRecordings: fc.record({ folder: interestingPath }),
  getModelInfo: fc.record({ modelDir: interestingPath }, { requiredKeys: [] }),
  getPeaks: fc.record({ path: interestingPath, peaksPerSecond: fc.integer({ min: 1, max: 8000 }) }, { requiredKeys: ['path'] }),
  getSpectrogram: fc.record({ path: interestingPath, startS: fc.double({ min: 0, max: 10, noNaN: true }) }, { requiredKeys: ['path'] }),
  formatLattice: fc.record({
    lattice: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), fc.record({ nodes: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), arcs: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), start: fc.integer(), end: fc.integer() })),
    format: fc.constantFrom('slf', 'openfst', 'json'),
  }),
  rescoreLattice: fc.record({
    lattice: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), fc.record({ nodes: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), arcs: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), start: fc.integer(), end: fc.integer() })),
    nbest: fc.array(fc.record({ text: fc.string({ maxLength: 20 }), acousticScore: fc.double({ min: -100, max: 0, noNaN: true }), biasScore: fc.double({ min: 0, max: 10, noNaN: true }) }), { maxLength: 3 }),
  }),
  openDataset: fc.record({ path: interestingPath }),
  analyzeUtterance: fc.record({ utterance: fc.record({ id: fc.string({ minLength: 1, maxLength: 10 }), audio: interestingPath }) }),
  analyzeDataset: fc.record({ datasetId: fc.string({ minLength: 1, maxLength: 12 }) }),
  getUtteranceAnalysis: fc.record({ datasetId: fc.string({ minLength: 1, maxLength: 12 }), utteranceId }),
  openSession: fc.record({ path: interestingPath }),
  saveSession: fc.record({ path: interestingPath, view: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) }, { requiredKeys: [] }),
  annotate: fc.record({ utteranceId, patch: fc.record({ notes: fc.string(), tags: fc.array(fc.string({ minLength: 1, maxLength: 5 }), { maxLength: 3 }) }, { requiredKeys: [] }) }),
  exportSession: fc.record({ format: fc.constantFrom('textgrid', 'audacity', 'ctm', 'csv', 'slf', 'nemo', 'bundle'), outDir: interestingPath, includeAudio: fc.boolean() }, { requiredKeys: ['format', 'outDir'] }),
  relinkAudio: fc.record({ folder: interestingPath }),
  evaluateEndpoints: fc.record({ datasetId: fc.string({ minLength: 1, maxLength: 12 }), endpoints: fc.jsonValue({ maxDepth: 2 }) }),
  sweepEndpoints: fc.record({ datasetId: fc.string({ minLength: 1, maxLength: 12 }) }),
  browseFolder: fc.record({ path: interestingPath }, { requiredKeys: [] }),
  applyEndpoints: fc.record({ endpoints: fc.jsonValue({ maxDepth: 2 }) }),
  listModels: fc.constant({}),
  listCatalog: fc.constant({}),
  // The catalog named by the host's paths does not exist here, so no pull ever reaches the network.
  pullModel: fc.record({ name: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constant('sherpa-onnx-lstm-en-2023-02-17')) }),
  removeModel: fc.record({ name: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constant('earshot-rnnt')) }),
  // The live worker named here does not exist: a session that starts fails with the error its thread reports.
  liveStart: fc.record({ sessionId: liveSessionId, sampleRate: fc.constantFrom(16000, 44100, 48000), modelDir: interestingPath }, { requiredKeys: ['sessionId', 'sampleRate'] }),
  liveAudio: fc.record({ sessionId: liveSessionId, seq: fc.nat(3), pcm: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64')) }),
  liveStop: fc.record({ sessionId: liveSessionId }),
  listRuns: fc.constant({}),
  selectRun: fc.record({ runId: fc.string({ minLength: 1, maxLength: 12 }) }),
  renameRun: fc.record({ runId: fc.string({ minLength: 1, maxLength: 12 }), name: fc.string({ maxLength: 20 }) }),
  deleteRun: fc.record({ runId: fc.string({ minLength: 1, maxLength: 12 }) }),
  compareRuns: fc.record({ runA: fc.string({ minLength: 1, maxLength: 12 }), runB: fc.string({ minLength: 1, maxLength: 12 }), resamples: fc.integer({ min: 100, max: 200 }), seed: fc.integer({ min: 0, max: 10 }) }, { requiredKeys: ['runA', 'runB'] }),
};
expect(Object.keys(fitting).sort()).toEqual(Object.keys(apiParams).sort());

/** A request for a known method with fitting params, one of them sometimes spoilt, or anything at all. */
const request = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(...Object.keys(apiParams))
      .chain((method) => fc.record({ method: fc.constant(method), params: fitting[method], spoil: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), value) }) }))
      .map(({ method, params, spoil }) => ({ method, params: spoil && typeof params === 'object' && params ? { ...params, [spoil[0]]: spoil[1] } : params })),
  },
  { weight: 1, arbitrary: fc.record({ method: fc.string(), params: value }) },
);

const envelope = fc.oneof(
  { weight: 6, arbitrary: fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }), request }).map(({ id, request: r }) => ({ type: 'request', id, ...r })) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('cancel'), id: fc.string() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.string(), id: value, method: value, params: value }, { requiredKeys: [] }) },
);

/** The text of a WebSocket message: usually JSON, sometimes broken JSON, sometimes anything. */
const messageText = fc.oneof(
  { weight: 6, arbitrary: envelope.map((e) => JSON.stringify(e)) },
  { weight: 1, arbitrary: envelope.chain((e) => fc.nat().map((cut) => JSON.stringify(e).slice(0, cut))) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
);

const frame = fc.oneof(
  { weight: 5, arbitrary: messageText.map((text) => ({ data: Buffer.from(text), isBinary: false })) },
  { weight: 1, arbitrary: fc.record({ bytes: fc.uint8Array({ maxLength: 64 }), isBinary: fc.boolean() }).map(({ bytes, isBinary }) => ({ data: Buffer.from(bytes), isBinary })) },
);

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function answerTo(received: FromHostMessage[], id: string): Promise<ResponseMessage[]> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const answers = received.filter((m): m is ResponseMessage => m.type === 'response' && m.id === id);
    if (answers.length) {
      await settle();
      return received.filter((m): m is ResponseMessage => m.type === 'response' && m.id === id);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return [];
}

describe('the WebSocket message handler, fuzzed', () => {
  it('reads any frame without throwing: a valid envelope goes on, anything else is answered', () => {
    fc.assert(
      fc.property(frame, ({ data, isBinary }) => {
        const outcome = readClientMessage(data, isBinary);
        if ('forward' in outcome) {
          expect(isBinary).toBe(false);
          expect(toHostMessageSchema.safeParse(outcome.forward).success).toBe(true);
        } else {
          expect(outcome.reply).toMatchObject({ type: 'response', ok: false, error: { code: 'invalid-message' } });
          expect(outcome.reply.id.length).toBeLessThanOrEqual(200);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('answers every request once, through the real handlers, and never with a file’s contents', async () => {
    const { link, received } = shellAndHost();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(frame, async ({ data, isBinary }) => {
        const outcome = readClientMessage(data, isBinary);
        if (!('forward' in outcome)) return;
        const message = outcome.forward;
        // A fresh id per case: the property is about one request's answer, not id reuse.
        const id = `fuzz-${(n += 1)}`;
        link.forward({ ...message, id });
        if (message.type === 'cancel') return;
        const answers = await answerTo(received, id);
        expect(answers).toHaveLength(1);
        const [answer] = answers;
        if (!answer.ok) {
          expect(typeof answer.error.code).toBe('string');
          expect(answer.error.message).not.toContain(SECRET);
        }
      }),
      { numRuns: RUNS },
    );
    // Still answering after all of it.
    link.forward({ type: 'request', id: 'last', method: 'ping', params: {} });
    expect((await answerTo(received, 'last'))[0]).toMatchObject({ ok: true });
  });
});
