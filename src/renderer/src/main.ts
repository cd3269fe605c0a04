import { createApp } from 'vue';
import App from './App.vue';
import { connectApi } from './api/connect';
import { createStore, storeKey } from './store';
import { createLiveStore, liveStoreKey } from './live/live-store';
import './styles/theme.css';

async function boot(): Promise<void> {
  const store = createStore(await connectApi());
  const live = createLiveStore({
    api: store.api,
    modelDir: () => store.models.state.activeDir,
    knobs: () => store.state.sessionKnobs,
    liveDir: () => store.state.defaults?.liveDir,
    openDataset: (path) => store.openDataset(path),
  });
  createApp(App).provide(storeKey, store).provide(liveStoreKey, live).mount('#app');
  await store.start();
}

boot().catch((error: unknown) => {
  document.body.textContent = `Earshot could not start: ${error instanceof Error ? error.message : String(error)}`;
});
