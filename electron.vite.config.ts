import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import type { Rollup } from 'vite';

const alias = {
  '@shared': resolve(__dirname, 'src/shared'),
  '@engine': resolve(__dirname, 'src/engine'),
};

/**
 * zod 4 ships comments Rollup cannot place as annotations; Rollup drops them (harmlessly) and
 * says so twice per build. Only that warning, only for zod, is silenced.
 */
function onwarn(warning: Rollup.RollupLog, warn: Rollup.LoggingFunction): void {
  if (warning.code === 'INVALID_ANNOTATION' && /[\\/]node_modules[\\/]zod[\\/]/.test(warning.id ?? '')) return;
  warn(warning);
}

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias },
    build: {
      rollupOptions: {
        onwarn,
        // One Node build serves Electron's main, the engine host (utility process or
        // worker), the engine's worker threads, the live microphone's worker and the CLI (`earshot serve|decode|…`).
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'engine-host': resolve(__dirname, 'src/host/engine-host.ts'),
          'engine-worker': resolve(__dirname, 'src/host/engine-worker.ts'),
          'live-worker': resolve(__dirname, 'src/host/live-worker.ts'),
          cli: resolve(__dirname, 'src/cli/earshot.ts'),
        },
      },
    },
  },
  // The preload runs sandboxed, where require() reaches only Electron's own modules:
  // bundle its dependencies instead of externalising them.
  preload: {
    resolve: { alias },
    build: { rollupOptions: { onwarn, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias },
    plugins: [vue()],
    build: { rollupOptions: { onwarn, input: resolve(__dirname, 'src/renderer/index.html') } },
  },
});
