/**
 * An AbortSignal that Ctrl-C trips: long commands stop starting work, let the work in hand
 * finish (whole lines only), and exit with EXIT.interrupted. A second Ctrl-C ends the process
 * at once by the signal itself: process.exit would tear down worker threads that may be
 * inside an onnxruntime call, which aborts the process with a C++ exception instead.
 */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\ninterrupted: finishing the work in hand (Ctrl-C again to quit now)\n');
    controller.abort();
    process.once('SIGINT', () => {
      process.removeAllListeners('SIGINT');
      process.kill(process.pid, 'SIGINT');
    });
  });
  return controller.signal;
}
