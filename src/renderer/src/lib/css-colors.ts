/** Reads a theme colour (a CSS variable on :root), for what d3 draws on canvas. */
export function themeColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}
