import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFileOf, packagedResourcesDir } from '../../../src/main/app-protocol';
import {
  allowNavigation,
  APP_URL,
  BLOCKED_CONTENTS_EVENTS,
  CONTENT_SECURITY_POLICY,
  hardenContents,
  hardenSession,
  isTrustedIpcSender,
  PRIVILEGED_SCHEMES,
  secureWebPreferences,
  windowOpenDecision,
  withContentSecurityPolicy,
  type HardenableSession,
  type PermissionDetails,
} from '../../../src/main/security';

const root = join(__dirname, '..', '..', '..');

describe('Electron security baseline', () => {
  it('isolates the renderer: context isolation, sandbox, no Node integration, no insecure content', () => {
    expect(secureWebPreferences('/opt/earshot/out/preload/index.cjs')).toEqual({
      preload: '/opt/earshot/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('sends a strict Content-Security-Policy with every response', () => {
    const headers = withContentSecurityPolicy({ 'Content-Type': 'text/html' });
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['Content-Type']).toEqual(['text/html']);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
  });

  it('puts the same policy in the page itself (less frame-ancestors, which a <meta> cannot carry)', () => {
    const html = readFileSync(join(root, 'src', 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  it('blocks navigation and new windows', () => {
    expect(allowNavigation('https://example.com/')).toBe(false);
    expect(allowNavigation(APP_URL)).toBe(false);
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it('cancels navigation, redirects, frame navigation and webviews of every page', () => {
    const contents = Object.assign(new EventEmitter(), { openHandler: undefined as unknown, setWindowOpenHandler(h: unknown) { this.openHandler = h; } });
    hardenContents(contents);
    expect(BLOCKED_CONTENTS_EVENTS).toEqual(['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview']);
    for (const name of BLOCKED_CONTENTS_EVENTS) {
      let prevented = false;
      contents.emit(name, { preventDefault: () => (prevented = true) }, 'https://evil.example/');
      expect(prevented, name).toBe(true);
    }
    expect((contents.openHandler as () => unknown)()).toEqual({ action: 'deny' });
  });

  it('grants the microphone to the app’s own page only, denies every other permission, and adds the CSP to responses', () => {
    const wired: Partial<Record<string, (...args: never[]) => unknown>> = {};
    const session: HardenableSession = {
      setPermissionRequestHandler: (h) => (wired.request = h as never),
      setPermissionCheckHandler: (h) => (wired.check = h as never),
      setDevicePermissionHandler: (h) => (wired.device = h as never),
      webRequest: { onHeadersReceived: (l) => (wired.headers = l as never) },
    };
    hardenSession(session, APP_URL);
    const request = (permission: string, details: PermissionDetails): boolean | undefined => {
      let granted: boolean | undefined;
      (wired.request as unknown as (c: unknown, p: string, cb: (g: boolean) => void, d: PermissionDetails) => void)(null, permission, (g) => (granted = g), details);
      return granted;
    };
    const check = (permission: string, origin: string, details: PermissionDetails = {}): boolean =>
      (wired.check as unknown as (c: unknown, p: string, o: string, d: PermissionDetails) => boolean)(null, permission, origin, details);
    expect(request('media', { requestingUrl: APP_URL, mediaTypes: ['audio'] })).toBe(true);
    expect(check('media', 'app://earshot', { mediaType: 'audio' })).toBe(true);
    expect(request('media', { requestingUrl: APP_URL, mediaTypes: ['audio', 'video'] }), 'the camera').toBe(false);
    expect(request('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] }), 'another origin').toBe(false);
    expect(check('media', 'file://', { mediaType: 'audio' })).toBe(false);
    expect(check('media', 'app://earshot', { mediaType: 'video' })).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial']) {
      expect(request(permission, { requestingUrl: APP_URL }), permission).toBe(false);
      expect(check(permission, 'app://earshot'), permission).toBe(false);
    }
    expect((wired.device as unknown as () => boolean)()).toBe(false);
    let headers: Record<string, string[]> | undefined;
    (wired.headers as unknown as (d: unknown, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)(
      { responseHeaders: { 'Content-Type': ['text/html'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('accepts IPC only from a frame showing the app itself', () => {
    expect(isTrustedIpcSender(APP_URL, APP_URL)).toBe(true);
    expect(isTrustedIpcSender('app://earshot/other.html', APP_URL)).toBe(true);
    expect(isTrustedIpcSender('app://evil/index.html', APP_URL)).toBe(false);
    expect(isTrustedIpcSender('file:///tmp/evil.html', APP_URL)).toBe(false);
    expect(isTrustedIpcSender('https://example.com/', APP_URL)).toBe(false);
    expect(isTrustedIpcSender(undefined, APP_URL)).toBe(false);
    expect(isTrustedIpcSender('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedIpcSender('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});

describe("the renderer's app:// protocol", () => {
  const rendererDir = '/opt/earshot/out/renderer';

  it('is a standard, secure scheme, so the page has an origin of its own', () => {
    expect(APP_URL).toBe('app://earshot/index.html');
    expect(PRIVILEGED_SCHEMES.find((s) => s.scheme === 'app')?.privileges).toMatchObject({ standard: true, secure: true });
  });

  it('serves files of the built renderer and nothing else', () => {
    expect(appFileOf('app://earshot/index.html', rendererDir)).toBe(join(rendererDir, 'index.html'));
    expect(appFileOf('app://earshot/assets/index-abc.js', rendererDir)).toBe(join(rendererDir, 'assets', 'index-abc.js'));
    expect(appFileOf('app://earshot/', rendererDir)).toBe(join(rendererDir, 'index.html'));
    expect(appFileOf('app://earshot/..%2F..%2Fmain%2Findex.js', rendererDir)).toBeUndefined();
    expect(appFileOf('app://earshot/%', rendererDir)).toBeUndefined();
    expect(appFileOf('app://other/index.html', rendererDir)).toBeUndefined();
    expect(appFileOf('file:///opt/earshot/out/renderer/index.html', rendererDir)).toBeUndefined();
    expect(appFileOf('not a url', rendererDir)).toBeUndefined();
  });

  it('points the packaged engine host at the resources beside app.asar', () => {
    expect(packagedResourcesDir(true, '/opt/Earshot/resources')).toBe('/opt/Earshot/resources/resources');
    expect(packagedResourcesDir(false, '/opt/Earshot/resources')).toBeUndefined();
  });
});
