/**
 * Fuzzes the model folder loader (resolveModelDir): a copy of the tiny test model whose
 * model.json has values replaced at random paths (wrong types, extremes, null, deletions) or
 * is random text, whose tokens.txt has lines dropped, repeated, renumbered or garbled, and
 * whose ONNX graphs have bytes overwritten or are cut short. Each folder must either load
 * into a consistent spec (a blank id inside the vocabulary, a positive frame shift of at most
 * a second, the token table as large as the joiner's output, fbank options the feature step
 * accepts) or fail with a ModelDirError naming a file of the folder; anything else (a
 * TypeError, a RangeError from the protobuf reader, a hang) fails.
 *
 *   npx tsx test/fuzz/model-dir.fuzz.ts [runs=10000] [seed]
 *
 * The unit tests run a smaller count through runModelDirFuzz.
 */
import fc from 'fast-check';
import { runAsScript } from './fuzz-script';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelDirError, resolveModelDir } from '../../src/engine/asr/model-dir';
import { resolveFbankOptions } from '../../src/engine/features/fbank-options';

const FIXTURE = fileURLToPath(new URL('../fixtures/tiny-model', import.meta.url));
const MODEL_JSON = readFileSync(join(FIXTURE, 'model.json'), 'utf8');
const TOKENS = readFileSync(join(FIXTURE, 'tokens.txt'), 'utf8');
const GRAPHS = ['encoder.int8.onnx', 'decoder.int8.onnx', 'joiner.int8.onnx', 'context_encoder.int8.onnx', 'bias.onnx'] as const;
const GRAPH_BYTES = Object.fromEntries(GRAPHS.map((g) => [g, readFileSync(join(FIXTURE, g))]));

/** Paths into model.json worth hitting: every field the loader reads, and their parents. */
const FIELDS = [
  ['format'],
  ['name'],
  ['features'],
  ['features', 'sample_rate'],
  ['features', 'num_mel_bins'],
  ['features', 'frame_length_ms'],
  ['features', 'frame_shift_ms'],
  ['features', 'low_freq'],
  ['features', 'high_freq'],
  ['features', 'window'],
  ['chunk'],
  ['chunk', 'T'],
  ['chunk', 'subsampling'],
  ['chunk', 'frame_shift_ms'],
  ['context_size'],
  ['blank_id'],
  ['vocab_size'],
  ['default_variant'],
  ['variants'],
  ['variants', 'int8'],
  ['variants', 'int8', 'encoder'],
  ['variants', 'int8', 'joiner'],
  ['variants', 'int8', 'bias'],
  ['eoq'],
  ['eoq', 'output'],
  ['decode'],
  ['decode', 'max_symbols_per_frame'],
  ['decode', 'fusion_boost'],
];

const DELETE = Symbol('delete');
const jsonValue = fc.oneof(
  fc.constantFrom<unknown>(null, DELETE, 0, -1, 1, 0.5, -40, 1e9, -1e9, 1e308, 99999, '', '40', 'int8', 'povey', 'encoder.onnx', '../../etc/passwd', true, false, [], {}, [1, 2]),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }),
);

function setAt(doc: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: unknown = doc;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[key];
  }
  if (node === null || typeof node !== 'object') return;
  const last = path[path.length - 1];
  if (value === DELETE) delete (node as Record<string, unknown>)[last];
  else (node as Record<string, unknown>)[last] = value;
}

const modelJson = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.tuple(fc.constantFrom(...FIELDS), jsonValue), { minLength: 1, maxLength: 3 }).map((edits) => {
    const doc = JSON.parse(MODEL_JSON) as Record<string, unknown>;
    for (const [path, value] of edits) setAt(doc, path, value);
    return JSON.stringify(doc);
  }) },
  { weight: 1, arbitrary: fc.constantFrom('null', '[]', '"model"', '42', '{', '', MODEL_JSON.slice(0, 200)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constant(MODEL_JSON) },
);

const tokenLines = TOKENS.trimEnd().split('\n');
const tokens = fc.oneof(
  { weight: 4, arbitrary: fc.constant(TOKENS) },
  { weight: 4, arbitrary: fc
    .array(fc.tuple(fc.nat(tokenLines.length - 1), fc.constantFrom('drop', 'repeat', 'renumber', 'garble', 'duplicate-symbol'), fc.integer({ min: -2, max: 40 })), { minLength: 1, maxLength: 3 })
    .map((edits) => {
      const lines = [...tokenLines];
      for (const [at, kind, n] of edits) {
        const i = at % lines.length;
        if (kind === 'drop') lines.splice(i, 1);
        else if (kind === 'repeat') lines.splice(i, 0, lines[i]);
        else if (kind === 'renumber') lines[i] = `${lines[i].split(' ')[0]} ${n}`;
        else if (kind === 'garble') lines[i] = lines[i].replace(' ', '\t\t') + (n < 0 ? ' x' : '');
        else lines[i] = `${lines[(i + 1) % lines.length].split(' ')[0]} ${i}`;
        if (lines.length === 0) lines.push('<blk> 0');
      }
      return `${lines.join('\n')}\n`;
    }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

const graphDamage = fc.option(
  fc.tuple(
    fc.constantFrom(...GRAPHS),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    fc.option(fc.nat(), { nil: undefined }),
  ),
  { nil: undefined, freq: 2 },
);

const folder = fc.record({ modelJson, tokens, graphDamage });

function check(dir: string, f: { modelJson: string; tokens: string; graphDamage?: [string, Array<[number, number]>, number | undefined] }): void {
  writeFileSync(join(dir, 'model.json'), f.modelJson);
  writeFileSync(join(dir, 'tokens.txt'), f.tokens);
  for (const g of GRAPHS) writeFileSync(join(dir, g), GRAPH_BYTES[g]);
  if (f.graphDamage) {
    const [graph, pokes, cut] = f.graphDamage;
    const bytes = Uint8Array.from(GRAPH_BYTES[graph]);
    for (const [at, v] of pokes) bytes[at % bytes.length] = v;
    writeFileSync(join(dir, graph), cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1)));
  }
  let spec;
  try {
    spec = resolveModelDir(dir, { variant: 'int8' });
  } catch (error) {
    if (error instanceof ModelDirError && error.message.includes(dir)) return;
    throw new Error(`not a ModelDirError naming the folder: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  const problems: string[] = [];
  if (!(Number.isInteger(spec.blankId) && spec.blankId >= 0 && spec.blankId < spec.vocabSize)) problems.push(`blank id ${spec.blankId} of ${spec.vocabSize}`);
  if (!(spec.frameShiftS > 0 && spec.frameShiftS <= 1)) problems.push(`frame shift ${spec.frameShiftS} s`);
  if (spec.tokens.size !== spec.vocabSize) problems.push(`${spec.tokens.size} tokens for a vocabulary of ${spec.vocabSize}`);
  if (new Set(spec.tokens.symbols).size !== spec.tokens.size) problems.push('a symbol defined twice');
  if (!(spec.T > 0 && spec.decodeChunkLen > 0 && spec.contextSize > 0)) problems.push(`T ${spec.T}, chunk ${spec.decodeChunkLen}, context ${spec.contextSize}`);
  try {
    resolveFbankOptions(spec.features);
  } catch (error) {
    problems.push(`features the fbank step refuses: ${(error as Error).message}`);
  }
  if (problems.length > 0) throw new Error(`loaded an inconsistent model: ${problems.join('; ')}`);
}

export function runModelDirFuzz(numRuns: number, seed?: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-model-fuzz-'));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    fc.assert(
      fc.property(folder, (f) => check(dir, f)),
      { numRuns, seed },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runAsScript(import.meta.url, 'model folder', runModelDirFuzz);
