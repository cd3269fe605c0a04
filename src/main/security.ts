/**
 * Electron's security baseline as plain data and pure checks, so a unit test can assert
 * each without starting Electron. src/main/index.ts applies them.
 */
import { CONTENT_SECURITY_POLICY } from '@shared/content-security-policy';

export { CONTENT_SECURITY_POLICY };

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
  };
}

/** The renderer's own scheme: its pages get a real origin (app://earshot) rather than file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'earshot';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
/** Local recordings reach the page's <audio> through this scheme. */
export const MEDIA_SCHEME = 'earshot-media';

/** The schemes main registers before the app is ready, with what each may do. */
export const PRIVILEGED_SCHEMES = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
] as const;

/**
 * The only page the app's windows may show: its own renderer, from the app scheme or the
 * dev server. Navigation elsewhere, and every new window, is refused.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    return target.protocol === app.protocol && target.host === app.host;
  } catch {
    return false;
  }
}

/** Navigation is never allowed: the app is a single page and links open nothing. */
export function allowNavigation(_url: string): boolean {
  return false;
}

/** New windows are denied whatever they ask for. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Every way a page could leave the app or embed another; each is cancelled. */
export const BLOCKED_CONTENTS_EVENTS = ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview'] as const;

interface Cancellable {
  preventDefault(): void;
}

/** The part of Electron's WebContents that hardenContents wires; a plain emitter stands in for it in tests. */
export interface HardenableContents {
  on(event: string, listener: (event: Cancellable, url?: string) => void): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

/** Blocks navigation, redirects, frame navigation, webviews and new windows of every page main creates. */
export function hardenContents(contents: HardenableContents): void {
  for (const name of BLOCKED_CONTENTS_EVENTS) {
    contents.on(name, (event, url) => {
      if (name === 'will-attach-webview' || !allowNavigation(url ?? '')) event.preventDefault();
    });
  }
  contents.setWindowOpenHandler(windowOpenDecision);
}

/** What Electron says about a permission request (`mediaTypes`) or check (`mediaType`), narrowed. */
export interface PermissionDetails {
  requestingUrl?: string;
  mediaTypes?: string[];
  mediaType?: string;
}

/**
 * The one permission the app grants: the microphone (`media`, audio only) to its own page, for the
 * live panel. The camera, notifications, geolocation, HID, … and every other origin are refused.
 */
export function permissionDecision(permission: string, origin: string | undefined, appUrl: string, details: PermissionDetails = {}): boolean {
  if (permission !== 'media' || origin === undefined || !isAppUrl(origin, appUrl)) return false;
  const kinds = details.mediaTypes ?? (details.mediaType === undefined ? [] : [details.mediaType]);
  // A check before any device is named says 'unknown'; a request names what it opens.
  return kinds.every((kind) => kind === 'audio' || (kind === 'unknown' && details.mediaTypes === undefined));
}

type HeadersDetails = { responseHeaders?: Record<string, string[] | string> };

/** The part of Electron's Session that hardenSession wires. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: PermissionDetails) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string, details: PermissionDetails) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  webRequest: { onHeadersReceived(listener: (details: HeadersDetails, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void): void };
}

/** Grants the app's own page its microphone and denies every other permission; adds the CSP to every response the session loads. */
export function hardenSession(session: HardenableSession, appUrl: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionDecision(permission, details?.requestingUrl, appUrl, details)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => permissionDecision(permission, requestingOrigin, appUrl, details));
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }));
}

/** An IPC message is accepted only from a frame showing the app's own page. */
export function isTrustedIpcSender(senderFrameUrl: string | undefined, appUrl: string): boolean {
  return senderFrameUrl !== undefined && isAppUrl(senderFrameUrl, appUrl);
}

/** Adds the CSP to every response the renderer loads. */
export function withContentSecurityPolicy(headers: Record<string, string[] | string> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(headers)) out[key] = Array.isArray(value) ? value : [value];
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}
