import { app, BrowserWindow, ipcMain, net, protocol, session, utilityProcess, type WebContents } from 'electron';
import { pathPickSchema } from '@shared/path-pick';
import { pickPath } from './native-dialogs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toHostMessageSchema, type FromHostMessage } from '@shared/protocol';
import { PathGuard } from '@engine/session/path-guard';
import { HostRouter } from '../host/host-router';
import { allowedRoots } from '../host/file-access';
import { resolveHostPaths } from '../host/host-paths';
import { mediaFileOf } from '../server/media-files';
import { staticMimeType } from '../server/static-files';
import { FROM_HOST_CHANNEL, PICK_PATH_CHANNEL, TO_HOST_CHANNEL } from './ipc-channels';
import { appFileOf, packagedResourcesDir } from './app-protocol';
import {
  APP_SCHEME,
  APP_URL,
  CONTENT_SECURITY_POLICY,
  hardenContents,
  hardenSession,
  isTrustedIpcSender,
  MEDIA_SCHEME,
  PRIVILEGED_SCHEMES,
  secureWebPreferences,
} from './security';
import { modelArgument } from './model-argument';

/**
 * Electron's main process stays thin: a window, the security baseline, and a relay
 * between the renderer and the engine host, which runs in a utility process so
 * inference and file decoding never block this thread.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const appUrl = process.env.ELECTRON_RENDERER_URL ?? APP_URL;

// Set before the engine host starts: it inherits the environment.
const packagedResources = packagedResourcesDir(app.isPackaged, process.resourcesPath);
if (packagedResources) process.env.EARSHOT_RESOURCES = packagedResources;
const mediaRoots = new PathGuard(allowedRoots(resolveHostPaths()));

function startEngineHost(): HostRouter {
  const model = modelArgument(process.argv);
  // Sessions and exports are suggested in the platform's documents folder.
  const env = { ...process.env, EARSHOT_DOCUMENTS: process.env.EARSHOT_DOCUMENTS ?? app.getPath('documents'), ...(model ? { EARSHOT_MODEL: model } : {}) };
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

protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES.map(({ scheme, privileges }) => ({ scheme, privileges: { ...privileges } })));

/** The renderer from its own origin, with the CSP on every file (webRequest does not see custom schemes). */
async function serveApp(request: Request): Promise<Response> {
  const file = appFileOf(request.url, rendererDir);
  if (!file) return new Response('not found', { status: 404 });
  const response = await net.fetch(pathToFileURL(file).href);
  const headers = new Headers(response.headers);
  headers.set('Content-Type', staticMimeType(file));
  headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  return new Response(response.body, { status: response.status, headers });
}

/** Recordings for the page's <audio>: audio files inside the roots, links resolved first. */
function serveMedia(request: Request): Promise<Response> | Response {
  const media = mediaFileOf(new URL(request.url).searchParams.get('path') ?? '', mediaRoots);
  if (!media.ok) return new Response(media.reason, { status: media.status });
  return net.fetch(pathToFileURL(media.file).href, { headers: request.headers });
}

app.on('web-contents-created', (_event, contents) => hardenContents(contents));

void app.whenReady().then(() => {
  hardenSession(session.defaultSession, appUrl);
  protocol.handle(APP_SCHEME, serveApp);
  protocol.handle(MEDIA_SCHEME, serveMedia);
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
