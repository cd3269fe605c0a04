import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../session/atomic-write';

const recordSchema = z.record(z.string(), z.object({ url: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int(), recordedAt: z.string() }));

export type ArchiveHashRecord = z.output<typeof recordSchema>[string];

/**
 * The sha256 of each archive as first downloaded (trust on first use: the publisher states
 * none). A later pull of the same name must match it, so a replaced or tampered archive is caught.
 */
export class ArchiveHashes {
  constructor(private readonly file: string) {}

  async read(): Promise<Record<string, ArchiveHashRecord>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return {};
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    const parsed = recordSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${this.file} is damaged (${parsed.error.issues[0]?.message}): move it away to record the hashes afresh`);
    return parsed.data;
  }

  async get(name: string): Promise<ArchiveHashRecord | undefined> {
    return (await this.read())[name];
  }

  async record(name: string, entry: ArchiveHashRecord): Promise<void> {
    const all = await this.read();
    all[name] = entry;
    await writeFileAtomic(this.file, `${JSON.stringify(all, null, 2)}\n`);
  }
}
