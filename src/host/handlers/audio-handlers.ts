import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { ApiError } from '@shared/protocol';
import type { RecordingList } from '@shared/api';
import { probeAudioFile } from '@engine/audio/probe';
import { getPeaks } from '@engine/audio/peaks-cache';
import type { Handlers } from '../dispatch';

const AUDIO_EXTENSIONS = new Set(['.wav', '.wave', '.flac', '.mp3', '.ogg', '.oga', '.opus']);

export const audioHandlers: Pick<Handlers, 'listRecordings' | 'getPeaks' | 'getSpectrogram'> = {
  async listRecordings({ folder, files }, ctx): Promise<RecordingList> {
    const real = ctx.files.check(folder, 'the folder');
    const info = await stat(real).catch(() => undefined);
    if (!info) throw new ApiError('not-found', `folder not found: ${folder}`);
    if (!info.isDirectory()) throw new ApiError('not-a-folder', `not a folder: ${folder}`);
    // A manifest's audio often sits in a subfolder: the data set names its files, the folder alone would miss them.
    const paths = files ? [...new Set(files)] : (await readdir(real)).filter((n) => AUDIO_EXTENSIONS.has(extname(n).toLowerCase())).sort().map((n) => join(folder, n));
    const list: RecordingList = { folder, recordings: [], problems: [] };
    for (const [i, path] of paths.entries()) {
      if (ctx.signal.aborted) throw new ApiError('cancelled', 'the request was cancelled');
      try {
        // Listed under the name in the folder, probed where a link leads (when that is allowed).
        list.recordings.push({ ...(await probeAudioFile(ctx.files.check(path, 'the recording'))), path, name: basename(path) });
      } catch (error) {
        list.problems.push({ path, message: error instanceof Error ? error.message : String(error) });
      }
      ctx.progress(i + 1, paths.length);
    }
    return list;
  },

  async getPeaks({ path: requested, peaksPerSecond }, ctx) {
    const path = ctx.files.check(requested, 'the recording');
    const info = await probeAudioFile(path);
    const samplesPerPeak = Math.max(1, Math.round(info.sampleRate / peaksPerSecond));
    const peaks = await ctx.pool.run<Awaited<ReturnType<typeof getPeaks>>>('peaks', { path, cacheDir: ctx.paths.cacheDir, samplesPerPeak }, { signal: ctx.signal, urgent: true });
    return { ...peaks, path: requested, peaksPerSecond: peaks.sampleRate / peaks.samplesPerPeak };
  },

  getSpectrogram({ path, startS, endS, maxFrames }, ctx) {
    return ctx.pool.run('spectrogram', { path: ctx.files.check(path, 'the recording'), span: { startS, endS, maxFrames } }, { signal: ctx.signal, urgent: true });
  },
};
