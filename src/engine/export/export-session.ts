import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '../../shared/domain/session';
import { writeSlf } from '../lattice/slf';
import { writeFileAtomic } from '../session/atomic-write';
import type { PathGuard } from '../session/path-guard';
import { fsProblem } from '../session/session-error';
import { audacityLabelsOf } from './audacity-labels';
import { ctmEntriesOf, writeCtm } from './ctm';
import { FileNamer } from './file-names';
import { metricsCsv } from './metrics-csv';
import { nemoPredictionsOf, writeNemoPredictions } from './nemo-predictions';
import { textGridOf, writeTextGrid } from './textgrid';
import { utteranceTimeline } from './utterance-timeline';

export const EXPORT_FORMATS = ['textgrid', 'audacity', 'ctm', 'csv', 'slf', 'nemo'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  guard: PathGuard;
  /** Called after each file (per-utterance formats) with files done and total, for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Writes `session` in `format` into `outDir` (created if needed) and returns the files written:
 * textgrid → <utterance>.TextGrid, audacity → <utterance>.txt, slf → <utterance>.lat (utterances
 * with an inline result), ctm → session.ctm, csv → metrics.csv, nemo → predictions.jsonl.
 * Each file is written atomically.
 */
export async function exportSession(session: Session, format: ExportFormat, outDir: string, options: ExportOptions): Promise<string[]> {
  const dir = options.guard.check(outDir, 'the export folder');
  await mkdir(dir, { recursive: true }).catch((err: unknown) => {
    throw fsProblem(err, dir, 'creating the export folder');
  });
  const files = filesFor(session, format);
  const written: string[] = [];
  for (const [i, f] of files.entries()) {
    const path = join(dir, f.name);
    await writeFileAtomic(path, f.content()).catch((err: unknown) => {
      throw fsProblem(err, path, 'writing the export', 'write-failed');
    });
    written.push(path);
    options.onProgress?.(i + 1, files.length);
  }
  return written;
}

/** Contents are built lazily, one file at a time, so a large session's exports are not all in memory. */
function filesFor(session: Session, format: ExportFormat): { name: string; content: () => string }[] {
  const namer = new FileNamer();
  const perUtterance = (extension: string, content: (u: Session['utterances'][number]) => string) =>
    session.utterances.map((u) => ({ name: namer.name(u.id, extension), content: () => content(u) }));
  switch (format) {
    case 'textgrid':
      return perUtterance('.TextGrid', (u) => writeTextGrid(textGridOf(utteranceTimeline(session, u))));
    case 'audacity':
      return perUtterance('.txt', (u) => audacityLabelsOf(utteranceTimeline(session, u)));
    case 'slf':
      return session.utterances.flatMap((u) => {
        const result = u.result;
        return result?.kind === 'inline' ? [{ name: namer.name(u.id, '.lat'), content: () => writeSlf(result.decode.lattice, u.id) }] : [];
      });
    case 'ctm':
      return [{ name: 'session.ctm', content: () => writeCtm(session.utterances.flatMap((u) => ctmEntriesOf(utteranceTimeline(session, u)))) }];
    case 'csv':
      return [{ name: 'metrics.csv', content: () => metricsCsv(session) }];
    case 'nemo':
      return [{ name: 'predictions.jsonl', content: () => writeNemoPredictions(nemoPredictionsOf(session)) }];
  }
}
