/** The keyboard map: the shortcut sheet lists it and App.vue dispatches from it. */
export type ShortcutAction = 'play' | 'next' | 'previous' | 'zoom-in' | 'zoom-out' | 'scroll-left' | 'scroll-right' | 'fit' | 'sheet' | 'close' | 'theme' | 'live';

export const SHORTCUTS: { keys: string[]; action: ShortcutAction; what: string }[] = [
  { keys: ['Space'], action: 'play', what: 'Play / pause' },
  { keys: ['j'], action: 'next', what: 'Next utterance' },
  { keys: ['k'], action: 'previous', what: 'Previous utterance' },
  { keys: ['+', '='], action: 'zoom-in', what: 'Zoom in (around the playhead)' },
  { keys: ['-'], action: 'zoom-out', what: 'Zoom out' },
  { keys: ['0'], action: 'fit', what: 'Fit the utterance' },
  { keys: ['←'], action: 'scroll-left', what: 'Scroll left' },
  { keys: ['→'], action: 'scroll-right', what: 'Scroll right' },
  { keys: ['t'], action: 'theme', what: 'Dark / light theme' },
  { keys: ['m'], action: 'live', what: 'Start / stop the live microphone' },
  { keys: ['?'], action: 'sheet', what: 'This sheet' },
  { keys: ['Esc'], action: 'close', what: 'Close the sheet' },
];

const BY_KEY: Record<string, ShortcutAction> = {
  ' ': 'play',
  j: 'next',
  k: 'previous',
  '+': 'zoom-in',
  '=': 'zoom-in',
  '-': 'zoom-out',
  '0': 'fit',
  ArrowLeft: 'scroll-left',
  ArrowRight: 'scroll-right',
  t: 'theme',
  m: 'live',
  '?': 'sheet',
  Escape: 'close',
};

/** The action for a key press, or null while the researcher types in a field. */
export function shortcutFor(event: KeyboardEvent): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target as HTMLElement | null;
  const typing = target?.closest('input, textarea, select, [contenteditable="true"]');
  if (typing && event.key !== 'Escape') return null;
  return BY_KEY[event.key] ?? null;
}
