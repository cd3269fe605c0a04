/**
 * What `earshot`'s exit status means, so scripts and schedulers can tell a clean run from
 * one that left inputs undone.
 */
export const EXIT = {
  /** Every input done. */
  ok: 0,
  /** The command could not run: bad arguments, a broken model, an output it must not touch. */
  failed: 1,
  /** The run finished, but some inputs could not be decoded (their lines or entries say why). */
  inputsFailed: 2,
  /** Stopped by Ctrl-C (128 + SIGINT), after writing whole lines only. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
