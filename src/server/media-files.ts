import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const AUDIO_TYPES: Record<string, string> = {
  '.wav': 'audio/wav',
  '.wave': 'audio/wav',
  '.flac': 'audio/flac',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
};

/** True when the media route may serve this path: audio files only, never anything else. */
export function isServableAudio(path: string): boolean {
  return extname(path).toLowerCase() in AUDIO_TYPES;
}

/**
 * Streams an audio file for playback with HTTP range support, so the browser seeks in a
 * 3-hour recording without reading it whole.
 */
export async function serveAudio(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const info = isServableAudio(path) ? await stat(path).catch(() => undefined) : undefined;
  if (!info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such audio file');
    return;
  }
  const type = AUDIO_TYPES[extname(path).toLowerCase()];
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (!range || (range[1] === '' && range[2] === '')) {
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size, 'Accept-Ranges': 'bytes' });
    createReadStream(path).pipe(res);
    return;
  }
  const start = range[1] === '' ? Math.max(0, info.size - Number(range[2])) : Number(range[1]);
  const end = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
  if (start > end || start >= info.size) {
    res.writeHead(416, { 'Content-Range': `bytes */${info.size}` }).end();
    return;
  }
  res.writeHead(206, { 'Content-Type': type, 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${info.size}`, 'Accept-Ranges': 'bytes' });
  createReadStream(path, { start, end }).pipe(res);
}
