/**
 * Turns one call per item into one call per group of items: each request waits in a queue
 * that is sent as a group once `size` requests are in it, or, with fewer, once the requests
 * made in the same turn of the event loop are all in (a run's last, smaller group). So a
 * caller that keeps `size × workers` requests in flight keeps every worker's group full.
 */
export function batchedCalls<T, R>(size: number, call: (group: T[]) => Promise<R[]>): (item: T) => Promise<R> {
  let queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let flushSoon: NodeJS.Immediate | null = null;
  const flush = (): void => {
    if (flushSoon) clearImmediate(flushSoon);
    flushSoon = null;
    const group = queue;
    queue = [];
    if (group.length === 0) return;
    call(group.map((q) => q.item)).then(
      (results) => group.forEach((q, i) => q.resolve(results[i])),
      (error: unknown) => group.forEach((q) => q.reject(error)),
    );
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (queue.length >= size) flush();
      else flushSoon ??= setImmediate(flush);
    });
}
