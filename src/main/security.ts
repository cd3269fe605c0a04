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

/**
 * The only page the app's windows may show: its own renderer, from the built files or
 * the dev server. Navigation elsewhere, and every new window, is refused.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'file:') return target.protocol === 'file:' && target.pathname === app.pathname;
    return target.origin === app.origin;
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
