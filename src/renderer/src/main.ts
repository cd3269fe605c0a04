import { createApp } from 'vue';
import App from './App.vue';
import { connectApi } from './api/connect';
import { createStore, storeKey } from './store';
import './styles/theme.css';

async function boot(): Promise<void> {
  const store = createStore(await connectApi());
  createApp(App).provide(storeKey, store).mount('#app');
  await store.start();
}

boot().catch((error: unknown) => {
  document.body.textContent = `Earshot could not start: ${error instanceof Error ? error.message : String(error)}`;
});
