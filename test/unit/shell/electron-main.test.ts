import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_URL, CONTENT_SECURITY_POLICY, secureWebPreferences } from '../../../src/main/security';

/**
 * Electron's main process, run without the Electron binary: the electron module is replaced
 * by a recorder, so the test sees what main registers and wires, then calls the handlers.
 */
const wired = vi.hoisted(() => ({
  schemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
  protocols: new Map<string, (request: Request) => Promise<Response> | Response>(),
  appEvents: new Map<string, (...args: unknown[]) => void>(),
  windows: [] as { options: { webPreferences: unknown }; loaded: string[] }[],
  fetched: [] as string[],
  handles: new Map<string, (event: unknown, raw: unknown) => unknown>(),
  dialogs: 0,
  session: {
    request: undefined as undefined | ((c: unknown, p: string, cb: (g: boolean) => void, d: { requestingUrl?: string; mediaTypes?: string[] }) => void),
    check: undefined as undefined | ((c: unknown, p: string, o: string, d: { mediaType?: string }) => boolean),
    device: undefined as undefined | (() => boolean),
    headers: undefined as undefined | ((d: unknown, cb: (r: unknown) => void) => void),
  },
}));

vi.mock('electron', () => {
  class BrowserWindow {
    readonly loaded: string[] = [];
    readonly webContents = { send: () => undefined, once: () => undefined, isDestroyed: () => false };
    constructor(readonly options: { webPreferences: unknown }) {
      wired.windows.push(this);
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      return Promise.resolve();
    }
    static getAllWindows(): unknown[] {
      return wired.windows;
    }
    static fromWebContents(): unknown {
      return wired.windows[0];
    }
  }
  return {
    app: {
      isPackaged: false,
      on: (event: string, listener: (...args: unknown[]) => void) => wired.appEvents.set(event, listener),
      whenReady: () => Promise.resolve(),
      quit: () => undefined,
      getPath: (name: string) => `/home/researcher/${name}`,
    },
    dialog: {
      showOpenDialog: () => {
        wired.dialogs += 1;
        return Promise.resolve({ canceled: true, filePaths: [] });
      },
      showSaveDialog: () => {
        wired.dialogs += 1;
        return Promise.resolve({ canceled: true });
      },
    },
    BrowserWindow,
    ipcMain: { on: () => undefined, handle: (channel: string, handler: (event: unknown, raw: unknown) => unknown) => wired.handles.set(channel, handler) },
    net: {
      fetch: async (url: string) => {
        wired.fetched.push(url);
        return new Response('file body', { headers: { 'Content-Type': 'application/octet-stream' } });
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: typeof wired.schemes) => wired.schemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Response) => wired.protocols.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof wired.session.request) => (wired.session.request = h),
        setPermissionCheckHandler: (h: typeof wired.session.check) => (wired.session.check = h),
        setDevicePermissionHandler: (h: typeof wired.session.device) => (wired.session.device = h),
        webRequest: { onHeadersReceived: (h: typeof wired.session.headers) => (wired.session.headers = h) },
      },
    },
    utilityProcess: { fork: () => Object.assign(new EventEmitter(), { postMessage: () => undefined }) },
  };
});

const roots = mkdtempSync(join(tmpdir(), 'earshot-main-'));
const rendererDir = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'src', 'renderer');

afterAll(() => rmSync(roots, { recursive: true, force: true }));

beforeAll(async () => {
  writeFileSync(join(roots, 'clip.wav'), 'RIFF');
  symlinkSync('/etc/passwd', join(roots, 'x.wav'));
  vi.stubEnv('EARSHOT_ROOTS', [roots].join(delimiter));
  await import('../../../src/main/index');
  await new Promise((resolve) => setTimeout(resolve, 0));
  vi.unstubAllEnvs();
});

describe('Electron main, as it wires itself', () => {
  it('registers app:// and earshot-media: as privileged schemes and handles both', () => {
    expect(wired.schemes.map((s) => s.scheme)).toEqual(['app', 'earshot-media']);
    expect([...wired.protocols.keys()]).toEqual(['app', 'earshot-media']);
  });

  it('opens the window on app://earshot with the secure preferences, never file://', () => {
    expect(wired.windows).toHaveLength(1);
    expect(wired.windows[0].loaded).toEqual([APP_URL]);
    expect(wired.windows[0].options.webPreferences).toEqual(secureWebPreferences(expect.stringMatching(/preload[/\\]index\.cjs$/) as unknown as string));
  });

  it('serves the renderer over app:// with the CSP, and nothing outside it', async () => {
    const serveApp = wired.protocols.get('app')!;
    const page = await serveApp(new Request('app://earshot/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(wired.fetched.at(-1)).toBe(`file://${join(rendererDir, 'index.html')}`);
    expect((await serveApp(new Request('app://earshot/..%2F..%2Fpackage.json'))).status).toBe(404);
    expect((await serveApp(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it('streams audio over earshot-media: only inside the roots, links resolved', async () => {
    const serveMedia = wired.protocols.get('earshot-media')!;
    const media = (path: string) => serveMedia(new Request(`earshot-media://audio/?path=${encodeURIComponent(path)}`));
    expect((await media(join(roots, 'clip.wav'))).status).toBe(200);
    expect(wired.fetched.at(-1)).toBe(`file://${join(roots, 'clip.wav')}`);
    expect((await media(join(roots, 'x.wav'))).status).toBe(403);
    expect((await media('/etc/passwd')).status).toBe(404);
  });

  it('grants the microphone to its own page only, denies every other permission, and adds the CSP to responses of the default session', () => {
    const granted: Record<string, boolean> = {};
    wired.session.request?.(null, 'media', (g) => (granted.own = g), { requestingUrl: APP_URL, mediaTypes: ['audio'] });
    wired.session.request?.(null, 'media', (g) => (granted.other = g), { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] });
    wired.session.request?.(null, 'media', (g) => (granted.camera = g), { requestingUrl: APP_URL, mediaTypes: ['video'] });
    expect(granted).toEqual({ own: true, other: false, camera: false });
    expect(wired.session.check?.(null, 'notifications', 'app://earshot', {})).toBe(false);
    expect(wired.session.device?.()).toBe(false);
    expect(wired.session.headers).toBeTypeOf('function');
  });

  it('hardens every web contents it creates', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    wired.appEvents.get('web-contents-created')?.({}, contents);
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      contents.emit(name, event, 'https://evil.example/');
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
  });

  it('shows native open and save dialogs only to the app’s own frame, for valid requests', async () => {
    const pick = wired.handles.get('earshot:pick-path')!;
    const request = { purpose: 'open-dataset', title: 'Open a data set' };
    expect(await pick({ sender: {}, senderFrame: { url: 'https://evil.example/' } }, request)).toBeNull();
    expect(wired.dialogs).toBe(0);
    expect(await pick({ sender: {}, senderFrame: { url: APP_URL } }, { purpose: 'format-disk' })).toBeNull();
    expect(wired.dialogs).toBe(0);
    expect(await pick({ sender: {}, senderFrame: { url: APP_URL } }, request)).toBeNull();
    expect(wired.dialogs).toBe(1);
  });
});
