/**
 * JSON.stringify recurses, so a value nested a few thousand levels deep (a session's free-form
 * `view`, or a hand-edited file) overflows the stack when a session is saved or bundled. Sessions
 * are shallow (a lattice is six levels deep): anything past the limit is refused by name instead.
 */
export const MAX_JSON_DEPTH = 100;

/** The path of the first value nested deeper than `limit` levels, or undefined. Iterative: never overflows itself. */
export function tooDeepAt(value: unknown, limit = MAX_JSON_DEPTH): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop() as { value: unknown; depth: number; path: string };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return path;
    for (const [key, child] of Object.entries(v)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
    }
  }
  return undefined;
}

/** "view.a.a.a…" for a message: the first few steps of a path that may be thousands long. */
export function shortPath(path: string): string {
  const steps = path.split('.');
  return steps.length > 4 ? `${steps.slice(0, 4).join('.')}… (${steps.length} levels)` : path;
}
