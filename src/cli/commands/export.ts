import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EXPORT_FORMATS, exportSession, type ExportFormat } from '@engine/export/export-session';
import { writeSessionBundle } from '@engine/export/session-bundle';
import { openSession } from '@engine/session/open-session';
import { PathGuard } from '@engine/session/path-guard';
import { progressBar } from '../progress';
import { commandArgs } from '../args';
import { EXIT, type ExitCode } from '../exit-codes';

const FORMATS = [...EXPORT_FORMATS, 'bundle'] as const;

export const exportUsage = `earshot export <session.json> --format ${FORMATS.join('|')} --out DIR [--with-audio]
  Writes an analysed session in a format other tools read: Praat TextGrid, Audacity labels,
  CTM, per-utterance metrics CSV, HTK SLF lattices, NeMo JSONL with predictions, or a zip bundle.`;

export async function exportCommand(argv: string[]): Promise<ExitCode> {
  const args = commandArgs(argv, { format: { type: 'string' }, out: { type: 'string' }, 'with-audio': { type: 'boolean', default: false } }, exportUsage);
  if (!args) return EXIT.ok;
  const { values, positionals } = args;
  if (positionals.length !== 1 || !values.out || !values.format) throw new Error(`usage: ${exportUsage}`);
  const format = values.format;
  if (!(FORMATS as readonly string[]).includes(format)) throw new Error(`unknown format "${format}": choose one of ${FORMATS.join(', ')}`);
  const file = resolve(positionals[0]);
  const out = resolve(values.out);
  const { session, recovered } = await openSession(file, { guard: new PathGuard([dirname(file)]) });
  if (recovered.length > 0) console.error(`export: applied ${recovered.length} unsaved annotation(s) from the recovery journal`);
  const roots = [dirname(file), out, ...session.recordings.map((r) => dirname(r.path))];
  const guard = new PathGuard(roots);
  if (format === 'bundle') {
    await mkdir(out, { recursive: true });
    const target = join(out, 'session.zip');
    await writeSessionBundle(session, target, { guard, includeAudio: values['with-audio'] });
    console.error(`export: bundle → ${target}`);
    return EXIT.ok;
  }
  const bar = progressBar(`export ${format}`);
  const files = await exportSession(session, format as ExportFormat, out, { guard, onProgress: (done, total) => bar.update(done, total) }).finally(() => bar.stop());
  console.error(`export: ${files.length} file(s) → ${out}`);
  return EXIT.ok;
}
