/** Data sets and sessions opened lately, newest first, kept across runs for the open dialogs. */
export type RecentKind = 'datasets' | 'sessions';

const KEY = (kind: RecentKind): string => `earshot-recent-${kind}`;
const MAX = 8;

export function recentPaths(kind: RecentKind): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY(kind)) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function rememberRecent(kind: RecentKind, path: string): void {
  // Autosaves live in the cache: they are offered back by the banner, not listed as the researcher's files.
  if (/[\\/]autosave[\\/][^\\/]+\.session\.json$/.test(path)) return;
  localStorage.setItem(KEY(kind), JSON.stringify([path, ...recentPaths(kind).filter((p) => p !== path)].slice(0, MAX)));
}
