/**
 * Problems found while computing the graph: a bad recipe, a duplicate name@version, a cycle
 * decision. Each is printed once per process (Nx may compute the graph several times in one
 * daemon), never thrown: a broken recipe must not take the rest of the graph down.
 */
import { logger } from '@nx/devkit';

const seen = new Set<string>();

export type Severity = 'error' | 'warning' | 'note';

export function report(severity: Severity, message: string): void {
  if (muted > 0) return;
  const key = `${severity}\0${message}`;
  if (seen.has(key)) return;
  seen.add(key);
  const text = `nx-spk: ${message}`;
  if (severity === 'error') logger.error(text);
  else if (severity === 'warning') logger.warn(text);
  else logger.info(text);
}

/** For tests: forget what was already printed. */
export function resetReported(): void {
  seen.clear();
}

let muted = 0;

/** Runs `fn` without printing (a second graph computation, e.g. at a git base, repeats every problem). */
export function withReportsMuted<T>(fn: () => T): T {
  muted++;
  try {
    return fn();
  } finally {
    muted--;
  }
}
