import { describe, expect, it } from 'vitest';
import {
  allowNavigation,
  CONTENT_SECURITY_POLICY,
  isTrustedIpcSender,
  secureWebPreferences,
  windowOpenDecision,
  withContentSecurityPolicy,
} from '../../../src/main/security';

const appUrl = 'file:///opt/earshot/out/renderer/index.html';

describe('Electron security baseline', () => {
  it('isolates the renderer: context isolation, sandbox, no Node integration', () => {
    const prefs = secureWebPreferences('/opt/earshot/out/preload/index.cjs');
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.webviewTag).toBe(false);
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

  it('blocks navigation and new windows', () => {
    expect(allowNavigation('https://example.com/')).toBe(false);
    expect(allowNavigation(appUrl)).toBe(false);
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it('accepts IPC only from a frame showing the app itself', () => {
    expect(isTrustedIpcSender(appUrl, appUrl)).toBe(true);
    expect(isTrustedIpcSender('file:///tmp/evil.html', appUrl)).toBe(false);
    expect(isTrustedIpcSender('https://example.com/', appUrl)).toBe(false);
    expect(isTrustedIpcSender(undefined, appUrl)).toBe(false);
    expect(isTrustedIpcSender('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedIpcSender('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});
