import { basename, extname } from 'node:path';

/** Makes ids unique in the order seen: a repeated id gets "-2", "-3", ... */
export class IdAllocator {
  // "__proto__" cannot key the session's annotations, so it is never handed out as is.
  private readonly used = new Set<string>(['__proto__']);

  take(base: string): string {
    let id = base || 'utterance';
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

/** The file name without folder and extension, the usual utterance id. */
export function stem(path: string): string {
  return basename(path, extname(path));
}
