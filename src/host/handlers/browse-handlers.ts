import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ApiError } from '@shared/protocol';
import type { BrowseEntry, FolderListing } from '@shared/api';
import type { Handlers } from '../dispatch';
import { PathGuard } from '@engine/session/path-guard';

/** More than this many entries in one folder are cut off (a folder of 100,000 clips is still browsable by name). */
const MAX_ENTRIES = 5000;
const AUDIO = new Set(['.wav', '.wave', '.flac', '.mp3', '.ogg', '.oga', '.opus']);
const KALDI = new Set(['wav.scp', 'text', 'segments']);

/** What a file is to the workbench, by its name. */
function kindOf(name: string): BrowseEntry['kind'] {
  const lower = name.toLowerCase();
  if (lower.endsWith('.earshot.json') || lower === 'session.json' || lower.endsWith('.session.json')) return 'session';
  if (lower.endsWith('.jsonl') || lower.endsWith('.json') || KALDI.has(lower)) return 'manifest';
  if (AUDIO.has(extname(lower))) return 'audio';
  return 'other';
}

export const browseHandlers: Pick<Handlers, 'browseFolder'> = {
  /**
   * Lists one folder for the browser shell's folder browser. Only folders under the roots
   * the user allowed (`earshot serve --root`, the home folder by default) are listed.
   */
  async browseFolder({ path }, ctx): Promise<FolderListing> {
    const roots = ctx.paths.browseRoots;
    const wanted = path ?? roots[0];
    if (!wanted) throw new ApiError('outside-roots', 'no folder may be browsed: start earshot serve with --root FOLDER');
    // The one path guard of the host (links resolved before the check), over the user's own roots only.
    const guard = new PathGuard(roots);
    const within = (p: string): string | null => {
      const { real, inside } = guard.locate(p);
      return inside ? real : null;
    };
    const folder = within(wanted);
    if (!folder) throw new ApiError('outside-roots', `${wanted} is not inside a folder you allowed to browse (${roots.join(', ')}); start earshot serve with --root to allow another`);
    const info = await stat(folder).catch(() => undefined);
    if (!info) throw new ApiError('not-found', `no such folder: ${wanted}`);
    if (!info.isDirectory()) throw new ApiError('not-a-folder', `not a folder: ${folder}`);
    const dirents = (await readdir(folder, { withFileTypes: true })).filter((d) => !d.name.startsWith('.'));
    const entries: BrowseEntry[] = [];
    for (const d of dirents) {
      const full = join(folder, d.name);
      // A symlink shows as what it points to; one that leads outside the roots is left out.
      const isDir = d.isDirectory() || (d.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isDirectory() === true);
      if (d.isSymbolicLink() && !within(full)) continue;
      entries.push({ name: d.name, path: full, kind: isDir ? 'folder' : kindOf(d.name) });
    }
    const rank = (e: BrowseEntry): number => (e.kind === 'folder' ? 0 : 1);
    entries.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, undefined, { numeric: true }));
    const parent = dirname(folder);
    const parentAllowed = parent !== folder && within(parent) !== null;
    return {
      path: folder,
      name: basename(folder) || folder,
      parent: parentAllowed ? parent : null,
      roots,
      entries: entries.slice(0, MAX_ENTRIES),
      truncated: entries.length > MAX_ENTRIES,
    };
  },
};
