/**
 * The one error class of the spk model.
 *
 * Every parser in `nx-spk/spk` throws `SpkError` for bad input (never a bare `Error`,
 * never a silent acceptance). It names what was being parsed (`kind`), the offending
 * text (`input`) and, where known, the 0-based character `position` in that text,
 * plus the `file`/`line` when the input came from a file, and the recipe `path` (the YAML key
 * path of the offending node) when a recipe reader knows it, so the line is looked up from a
 * typed value rather than recovered from the message text.
 */
export type SpkErrorKind =
  | 'version'
  | 'tagset'
  | 'range'
  | 'compat'
  | 'name'
  | 'request'
  | 'option'
  | 'template'
  | 'workspace'
  | 'recipe'
  | 'cli';

/** A YAML key path into a recipe: mapping keys and sequence indexes (`['build', 'options', 2]`). */
export type KeyPath = readonly (string | number)[];

export interface SpkErrorDetails {
  input?: string;
  position?: number;
  file?: string;
  line?: number;
  /** Where in the recipe the problem is (its line is found from this when `line` is unknown). */
  path?: KeyPath;
  cause?: unknown;
}

export class SpkError extends Error {
  override readonly name = 'SpkError';
  readonly kind: SpkErrorKind;
  readonly input?: string;
  readonly position?: number;
  readonly file?: string;
  readonly line?: number;
  readonly path?: KeyPath;
  /** The message without the file/line/input decoration. */
  readonly reason: string;

  constructor(kind: SpkErrorKind, reason: string, details: SpkErrorDetails = {}) {
    super(SpkError.format(kind, reason, details), details.cause !== undefined ? { cause: details.cause } : undefined);
    this.kind = kind;
    this.reason = reason;
    this.input = details.input;
    this.position = details.position;
    this.file = details.file;
    this.line = details.line;
    this.path = details.path;
  }

  /**
   * The message without the `file:line: ` location (reason plus the input it was found in), for
   * callers that carry file and line as separate fields (recipe problems).
   */
  get detail(): string {
    return SpkError.format(this.kind, this.reason, { input: this.input, position: this.position });
  }

  /** Returns a copy of this error that also names the file (and line) it came from. */
  inFile(file: string, line?: number): SpkError {
    return new SpkError(this.kind, this.reason, {
      input: this.input,
      position: this.position,
      file,
      line: line ?? this.line,
      path: this.path,
      cause: this.cause,
    });
  }

  private static format(kind: SpkErrorKind, reason: string, d: SpkErrorDetails): string {
    let where = '';
    if (d.file) where = d.line !== undefined ? `${d.file}:${d.line}: ` : `${d.file}: `;
    let what = '';
    if (d.input !== undefined) {
      what = ` in ${kind} ${JSON.stringify(d.input)}`;
      if (d.position !== undefined) what += ` at position ${d.position}`;
    }
    return `${where}${reason}${what}`;
  }
}

export function isSpkError(e: unknown): e is SpkError {
  return e instanceof SpkError;
}

/** An error about a YAML value of any shape (a mapping is shown as JSON). */
export function errorAbout(kind: SpkErrorKind, reason: string, input: unknown, cause?: unknown): SpkError {
  let text: string;
  try {
    text = typeof input === 'string' ? input : JSON.stringify(input) ?? String(input);
  } catch {
    text = String(input);
  }
  return new SpkError(kind, reason, cause !== undefined ? { input: text, cause } : { input: text });
}

/** Runs `f`; an SpkError it throws is thrown again as `kind` about `input` (same reason and position). */
export function withErrorKind<T>(kind: SpkErrorKind, input: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SpkError) throw new SpkError(kind, e.reason, { input, position: e.position, cause: e });
    throw e;
  }
}

/** The text recipe messages use for a key path: `build.options[2]`, `requirements.remove[0]`. */
export function keyPathText(path: KeyPath): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out;
}
