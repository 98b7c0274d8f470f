/**
 * Executor-wide SIGINT/SIGTERM handling.
 *
 * While an executor runs, a signal must (1) stop the running spk process group (runSpk does that
 * itself, and also on `abort`), (2) stop the executor from starting the next spk command, and
 * (3) let the executor remove its temp dirs before the process goes away. Installing a listener
 * replaces Node's default "exit on signal", so after cleanup `reraise()` removes our listeners and
 * sends the signal to ourselves again: the process then ends the way it would have without us.
 */
export class InterruptGuard {
  private readonly controller = new AbortController();
  private receivedSignal: NodeJS.Signals | undefined;
  private readonly onSignal = (sig: NodeJS.Signals) => {
    if (this.receivedSignal === undefined) this.receivedSignal = sig;
    this.controller.abort();
  };
  private installed = false;

  install(): this {
    if (!this.installed) {
      process.on('SIGINT', this.onSignal);
      process.on('SIGTERM', this.onSignal);
      this.installed = true;
    }
    return this;
  }

  /** Aborted as soon as a signal arrives; pass it to runSpk. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get received(): NodeJS.Signals | undefined {
    return this.receivedSignal;
  }

  dispose(): void {
    if (this.installed) {
      process.removeListener('SIGINT', this.onSignal);
      process.removeListener('SIGTERM', this.onSignal);
      this.installed = false;
    }
  }

  /** Removes our listeners and re-sends the received signal to this process (no-op if none). */
  reraise(): void {
    this.dispose();
    const sig = this.receivedSignal;
    if (sig !== undefined) process.kill(process.pid, sig);
  }
}
