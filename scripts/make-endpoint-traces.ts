/**
 * Decodes a labelled manifest into an end-pointer trace set (gzipped JSONL of compact decode
 * lines, see src/engine/endpoint/trace-set.ts) with the shipped model, decoded as `earshot decode`
 * does by default (beam 4, the model's symbols per frame), each recording continued by 2 s of
 * its own background.
 *
 *   npx tsx scripts/make-endpoint-traces.ts <manifest.jsonl> <out.jsonl.gz> [--relative-to DIR]
 *
 * Manifest lines: { "id"?, "audio" (relative to the manifest), "text"?, "speech_end" (s, or
 * null for no speech) }. `--relative-to` writes `audio` relative to DIR instead of the manifest.
 * bench/data/synthetic-test-traces.jsonl.gz was made from training/corpus.py's test split:
 *   python3 training/corpus.py --out /tmp/corpus --train 0 --dev 0 --test 1000
 *   cat /tmp/corpus/test-*.jsonl > /tmp/corpus/test.jsonl
 *   npx tsx scripts/make-endpoint-traces.ts /tmp/corpus/test.jsonl bench/data/synthetic-test-traces.jsonl.gz
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TransducerModel } from '../src/engine/asr/transducer-model';
import { decodeForEndpointing, traceLine } from '../src/engine/endpoint/trace-set';

const [manifest, out, flag, relativeTo] = process.argv.slice(2);
if (!manifest || !out || (flag !== undefined && flag !== '--relative-to')) throw new Error('usage: make-endpoint-traces.ts <manifest.jsonl> <out.jsonl.gz> [--relative-to DIR]');
const base = dirname(resolve(manifest));
const model = TransducerModel.load(resolve('resources/models/earshot-rnnt'), { intraOpNumThreads: 1 });
const rows = readFileSync(manifest, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { id?: string; audio: string; text?: string; speech_end: number | null });
const lines: string[] = [];
for (const [i, row] of rows.entries()) {
  const path = join(base, row.audio);
  const decode = await decodeForEndpointing(model, path, { beam: 4 });
  const audio = relativeTo ? relative(resolve(relativeTo), path) : row.audio;
  lines.push(JSON.stringify(traceLine({ id: row.id ?? row.audio, text: row.text ?? null, speechEndS: row.speech_end }, decode, audio)));
  if ((i + 1) % 100 === 0) process.stderr.write(`${i + 1}/${rows.length}\n`);
}
writeFileSync(`${out}.tmp`, gzipSync(lines.join('\n') + '\n', { level: 9 }));
renameSync(`${out}.tmp`, out);
process.stderr.write(`${rows.length} utterances → ${out}\n`);
