import { takeOverSignals } from '../process-guards.js';

/** Resolves on the first SIGINT or SIGTERM, so a long-running command can close cleanly. */
export function untilSignal(): Promise<NodeJS.Signals> {
  const release = takeOverSignals();
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      release();
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
