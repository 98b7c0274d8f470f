/**
 * Child processes for the e2e harness: always an argv array (never a shell), output
 * captured, and failures reported with the command, exit status, stdout and stderr.
 */
import { spawn } from 'node:child_process';

export interface ExecOptions {
  cwd?: string;
  /** Full environment of the child (the caller decides what is inherited). */
  env?: NodeJS.ProcessEnv;
  /** Do not throw on a non-zero exit. */
  allowFailure?: boolean;
  /** Kill the child (SIGTERM, then SIGKILL after 5 s) after this many ms. Default 10 minutes. */
  timeoutMs?: number;
  input?: string;
}

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export class ExecError extends Error {
  constructor(readonly command: string, readonly result: ExecResult, reason: string) {
    super(`${reason}: ${command}\n--- exit: ${result.code ?? result.signal}\n--- stdout:\n${tail(result.stdout)}\n--- stderr:\n${tail(result.stderr)}`);
    this.name = 'ExecError';
  }
}

function tail(s: string, max = 20000): string {
  return s.length > max ? `[… ${s.length - max} chars cut …]\n${s.slice(-max)}` : s;
}

export function describeCommand(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function run(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const command = describeCommand(cmd, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, opts.timeoutMs ?? 600_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`failed to start ${command} (cwd ${opts.cwd ?? process.cwd()}): ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: ExecResult = {
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (timedOut) return reject(new ExecError(command, result, `timed out after ${opts.timeoutMs ?? 600_000} ms`));
      if (code !== 0 && !opts.allowFailure) return reject(new ExecError(command, result, 'command failed'));
      resolve(result);
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the child may exit without reading its input (EPIPE)
      child.stdin.end(opts.input);
    }
  });
}
