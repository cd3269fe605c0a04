/**
 * Why text is not JSON, in words that never quote it: V8's own message repeats the start of
 * the text, and a file opened by mistake (a key, /etc/passwd) must not reach the page or a log.
 */
export function jsonProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  if (/Unexpected end of JSON input/.test(message)) return 'is not valid JSON (it ends in the middle of a value)';
  const position = /at position (\d+)/.exec(message);
  if (!position) return 'is not valid JSON';
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `is not valid JSON (at line ${line}, column ${column})`;
}
