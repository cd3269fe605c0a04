/** File names for per-utterance exports: ids made safe for any file system, kept unique. */
export class FileNamer {
  private readonly used = new Set<string>();

  name(id: string, extension: string): string {
    const base = id.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'utterance';
    let candidate = `${base}${extension}`;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}${extension}`;
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}
