import { app, BrowserWindow, ipcMain, net, protocol, session, utilityProcess, type WebContents } from 'electron';
import { pathPickSchema } from '@shared/path-pick';
import { pickPath } from './native-dialogs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toHostMessageSchema, type FromHostMessage } from '@shared/protocol';
import { HostRouter } from '../host/host-router';
import { isServableAudio } from '../server/media-files';
import { FROM_HOST_CHANNEL, PICK_PATH_CHANNEL, TO_HOST_CHANNEL } from './ipc-channels';
import { allowNavigation, isTrustedIpcSender, secureWebPreferences, windowOpenDecision, withContentSecurityPolicy } from './security';

/**
 * Electron's main process stays thin: a window, the security baseline, and a relay
 * between the renderer and the engine host, which runs in a utility process so
 * inference and file decoding never block this thread.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const rendererFile = join(here, '..', 'renderer', 'index.html');
const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(rendererFile).href;

function startEngineHost(): HostRouter {
  // Sessions and exports are suggested in the platform's documents folder.
  const env = { ...process.env, EARSHOT_DOCUMENTS: process.env.EARSHOT_DOCUMENTS ?? app.getPath('documents') };
  const host = utilityProcess.fork(join(here, 'engine-host.js'), [], { serviceName: 'earshot-engine', env });
  const router = new HostRouter((m) => host.postMessage(m));
  host.on('message', (m: FromHostMessage) => router.fromHost(m));
  host.on('exit', (code) => console.error(`earshot: engine host exited with code ${code}`));
  return router;
}

function connectWindow(contents: WebContents, router: HostRouter): void {
  const link = router.attach((m) => {
    if (!contents.isDestroyed()) contents.send(FROM_HOST_CHANNEL, m);
  });
  contents.once('destroyed', () => link.detach());
  ipcMain.on(TO_HOST_CHANNEL, (event, raw: unknown) => {
    if (event.sender !== contents) return;
    if (!isTrustedIpcSender(event.senderFrame?.url, appUrl)) return;
    const message = toHostMessageSchema.safeParse(raw);
    if (message.success) link.forward(message.data);
  });
}

function createWindow(router: HostRouter): void {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Earshot',
    backgroundColor: '#101418',
    webPreferences: secureWebPreferences(join(here, '..', 'preload', 'index.cjs')),
  });
  connectWindow(window.webContents, router);
  void window.loadURL(appUrl);
}

/** Native open/save dialogs for the app's own frame; the request is validated like any other. */
function handleDialogs(): void {
  ipcMain.handle(PICK_PATH_CHANNEL, async (event, raw: unknown) => {
    const window = BrowserWindow.fromWebContents(event.sender);
    const request = pathPickSchema.safeParse(raw);
    if (!window || !isTrustedIpcSender(event.senderFrame?.url, appUrl) || !request.success) return null;
    return pickPath(window, request.data);
  });
}

// Local recordings reach the page's <audio> through this scheme, audio files only.
protocol.registerSchemesAsPrivileged([{ scheme: 'earshot-media', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }]);

function serveMedia(request: Request): Promise<Response> | Response {
  const path = new URL(request.url).searchParams.get('path') ?? '';
  if (!isServableAudio(path)) return new Response('not an audio file', { status: 404 });
  return net.fetch(pathToFileURL(path).href, { headers: request.headers });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!allowNavigation(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(windowOpenDecision);
});

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
  protocol.handle('earshot-media', serveMedia);
  const router = startEngineHost();
  handleDialogs();
  createWindow(router);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(router);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
