import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PathGuard } from '@engine/session/path-guard';

const AUDIO_TYPES: Record<string, string> = {
  '.wav': 'audio/wav',
  '.wave': 'audio/wav',
  '.flac': 'audio/flac',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
};

export type MediaFile = { ok: true; file: string; type: string } | { ok: false; status: 403 | 404; reason: string };

/**
 * What the media route may stream for a requested path: an audio file (by the name it asks
 * for and by where its links lead) inside the roots. Both shells' media routes use it.
 */
export function mediaFileOf(path: string, guard: PathGuard): MediaFile {
  if (!path || path.includes('\0') || !(extname(path).toLowerCase() in AUDIO_TYPES)) return { ok: false, status: 404, reason: 'not an audio file' };
  const { real, inside } = guard.locate(path);
  if (!inside) return { ok: false, status: 403, reason: 'outside the folders Earshot may open' };
  const type = AUDIO_TYPES[extname(real).toLowerCase()];
  return type ? { ok: true, file: real, type } : { ok: false, status: 404, reason: 'not an audio file' };
}

/**
 * Streams an audio file for playback with HTTP range support, so the browser seeks in a
 * 3-hour recording without reading it whole. The file is opened before any header is sent,
 * so a file that cannot be read gets an answer, not a dead server.
 */
export async function serveAudio(path: string, guard: PathGuard, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const media = mediaFileOf(path, guard);
  if (!media.ok) return plain(res, media.status, media.reason);
  const handle = await open(media.file, 'r').catch((error: NodeJS.ErrnoException) => error);
  if (handle instanceof Error) return plain(res, handle.code === 'ENOENT' ? 404 : 403, handle.code === 'ENOENT' ? 'no such audio file' : 'the audio file cannot be read');
  let streaming = false;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return plain(res, 404, 'no such audio file');
    const range = byteRange(req.headers.range, info.size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'Content-Range': `bytes */${info.size}` }).end();
      return;
    }
    const [start, end] = range ?? [0, info.size - 1];
    const headers = { 'Content-Type': media.type, 'Content-Length': Math.max(0, end - start + 1), 'Accept-Ranges': 'bytes' };
    if (range) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${info.size}` });
    else res.writeHead(200, headers);
    if (info.size === 0) return void res.end();
    // The stream owns the handle from here and closes it, however it ends.
    const stream = handle.createReadStream({ start, end });
    streaming = true;
    stream.once('error', () => res.destroy()).pipe(res);
    res.once('close', () => stream.destroy());
  } catch {
    if (!res.headersSent) plain(res, 403, 'the audio file cannot be read');
    else res.destroy();
  } finally {
    if (!streaming) await handle.close().catch(() => undefined);
  }
}

/** The bytes a Range header asks for, undefined for the whole file. */
function byteRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const range = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!range || (range[1] === '' && range[2] === '')) return undefined;
  const start = range[1] === '' ? Math.max(0, size - Number(range[2])) : Number(range[1]);
  const end = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), size - 1) : size - 1;
  return start > end || start >= size ? 'unsatisfiable' : [start, end];
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain' }).end(text);
}
