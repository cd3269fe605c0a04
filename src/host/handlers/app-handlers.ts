import type { Handlers } from '../dispatch';

export const appHandlers: Pick<Handlers, 'ping' | 'getDefaults' | 'busyWait'> = {
  async ping() {
    return { time: Date.now() };
  },
  async getDefaults(_params, ctx) {
    return { demoFolder: ctx.paths.demoFolder, modelDir: ctx.paths.modelDir, documentsDir: ctx.paths.documentsDir, liveDir: ctx.paths.liveDir };
  },
  busyWait(params, ctx) {
    return ctx.pool.run('busyWait', params, { signal: ctx.signal });
  },
};
