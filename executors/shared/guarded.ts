/**
 * The common frame of every spk executor: install the interrupt guard, turn SpkError (bad input,
 * missing binary) into a clear one-line failure instead of a stack trace, and after an interrupt
 * re-raise the signal once cleanup (done by the steps' own `finally` blocks) has happened.
 */
import { isSpkError } from '../../src/spk/errors';
import { InterruptGuard } from './interrupt';
import type { StepResult } from './handoff';

export async function guardedExecutor(body: (guard: InterruptGuard) => Promise<StepResult>): Promise<{ success: boolean }> {
  const guard = new InterruptGuard().install();
  try {
    const r = await body(guard);
    if (!r.ok) console.error(r.message);
    return { success: r.ok };
  } catch (e) {
    if (isSpkError(e)) {
      console.error(e.message);
      return { success: false };
    }
    throw e;
  } finally {
    if (guard.received !== undefined) guard.reraise();
    else guard.dispose();
  }
}

/** A StepResult for "stopped because we received a signal". */
export function interruptedResult(guard: InterruptGuard): StepResult | undefined {
  return guard.received !== undefined ? { ok: false, message: `interrupted by ${guard.received}`, interrupted: true } : undefined;
}
