import { SingleBar, Presets } from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number, message?: string): void;
  stop(): void;
}

/**
 * A progress bar on stderr (stdout may carry results). Without a terminal, as in CI, it
 * prints a line every tenth of the way instead of redrawing.
 */
export function progressBar(label: string): ProgressReporter {
  if (!process.stderr.isTTY) {
    let lastTenth = -1;
    return {
      update(done, total, message) {
        const tenth = total > 0 ? Math.floor((10 * done) / total) : 0;
        if (tenth === lastTenth && done !== total) return;
        lastTenth = tenth;
        process.stderr.write(`${label}: ${done}/${total}${message ? ` ${message}` : ''}\n`);
      },
      stop() {},
    };
  }
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {message}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  let started = false;
  return {
    update(done, total, message = '') {
      if (!started) bar.start(total, done, { message });
      started = true;
      bar.setTotal(total);
      bar.update(done, { message });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
