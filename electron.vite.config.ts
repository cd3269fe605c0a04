import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const alias = {
  '@shared': resolve(__dirname, 'src/shared'),
  '@engine': resolve(__dirname, 'src/engine'),
};

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias },
    build: {
      rollupOptions: {
        // One Node build serves Electron's main, the engine host (utility process or
        // worker), the engine's worker threads and the CLI (`earshot serve|decode|…`).
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'engine-host': resolve(__dirname, 'src/host/engine-host.ts'),
          'engine-worker': resolve(__dirname, 'src/host/engine-worker.ts'),
          cli: resolve(__dirname, 'src/cli/earshot.ts'),
        },
      },
    },
  },
  // The preload runs sandboxed, where require() reaches only Electron's own modules:
  // bundle its dependencies instead of externalising them.
  preload: {
    resolve: { alias },
    build: { rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias },
    plugins: [vue()],
    build: { rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') } },
  },
});
