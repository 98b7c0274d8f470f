/**
 * Glob patterns with the semantics of Rust's `glob` crate (0.3), which spk uses to expand
 * the `recipes:` entries of `workspace.spk.yaml` (`crates/spk-workspace/src/builder.rs`,
 * `glob::glob(root.join(pattern))`).
 *
 * Why not hand the pattern to fast-glob: fast-glob (micromatch) gives meaning to
 * `{a,b}`, `!(x)`, `@(x)`, `+(x)` and accepts `a**b`, while the glob crate treats braces and
 * parentheses literally and rejects `**` that is not a whole path component; and it follows
 * symlink loops until the OS stops it (exponential time). So the pattern is parsed here with the
 * crate's rules and `expandGlob` walks the directories itself, component by component.
 *
 * glob crate rules mirrored (`glob::Pattern::new`, default `MatchOptions` of `glob::glob`):
 * - `?` one character, `*` any run of characters within one path component;
 * - `**` only as a whole component: zero or more directories (`a/**` also matches everything below `a`);
 *   `a**`, `**b` → error "recursive wildcards must form a single path component";
 * - `[abc]`, `[a-z]`, `[!abc]` (negation with `!`, not `^`); `[` without a closing `]` → error
 *   "invalid range pattern"; a `]` right after `[` or `[!` is literal;
 * - case-sensitive; `*` and `?` also match a leading `.` (require_literal_leading_dot = false);
 * - everything else, including `{`, `}`, `(`, `)`, `!`, `+`, `@`, is literal.
 */
import * as path from 'node:path';
import { SpkError } from './errors';
import { nodeReader, type SpkReader } from './reader';
import { toPosix } from './posix';

type Token =
  | { kind: 'char'; c: string }
  | { kind: 'any' } // ?
  | { kind: 'star' } // *
  | { kind: 'class'; negated: boolean; items: Array<[string, string]> };

interface Component {
  text: string;
  recursive: boolean; // `**`
  tokens: Token[];
  literal: boolean;
}

export interface CompiledGlob {
  pattern: string;
  absolute: boolean;
  components: Component[];
}

/** Parses a pattern with the glob crate's syntax; throws SpkError('workspace') like `glob::Pattern::new`. */
export function compileGlob(pattern: string): CompiledGlob {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/');
  const components: Component[] = [];
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const start = offset;
    offset += part.length + 1;
    // Empty components come from a leading `/`, a trailing `/` or `//`; they add nothing.
    if (part === '') continue;
    if (part === '**') {
      components.push({ text: part, recursive: true, tokens: [], literal: false });
      continue;
    }
    const tokens: Token[] = [];
    let j = 0;
    while (j < part.length) {
      const c = part[j];
      if (c === '*') {
        if (part[j + 1] === '*') {
          throw new SpkError('workspace', 'recursive wildcards must form a single path component', {
            input: pattern,
            position: start + j,
          });
        }
        tokens.push({ kind: 'star' });
        j++;
      } else if (c === '?') {
        tokens.push({ kind: 'any' });
        j++;
      } else if (c === '[') {
        const parsed = parseClass(part, j);
        if (!parsed) {
          throw new SpkError('workspace', 'invalid range pattern', { input: pattern, position: start + j });
        }
        tokens.push(parsed.token);
        j = parsed.end;
      } else {
        tokens.push({ kind: 'char', c });
        j++;
      }
    }
    components.push({ text: part, recursive: false, tokens, literal: tokens.every((t) => t.kind === 'char') });
  }
  return { pattern, absolute, components };
}

function parseClass(s: string, open: number): { token: Token; end: number } | undefined {
  let j = open + 1;
  let negated = false;
  if (s[j] === '!') {
    negated = true;
    j++;
  }
  const items: Array<[string, string]> = [];
  // A `]` right after the opening bracket (or `[!`) is a literal member, as in the glob crate.
  let first = true;
  while (j < s.length) {
    const c = s[j];
    if (c === ']' && !first) {
      return { token: { kind: 'class', negated, items }, end: j + 1 };
    }
    first = false;
    if (s[j + 1] === '-' && j + 2 < s.length && s[j + 2] !== ']') {
      items.push([c, s[j + 2]]);
      j += 3;
    } else {
      items.push([c, c]);
      j++;
    }
  }
  return undefined;
}

function matchTokens(tokens: Token[], name: string): boolean {
  // Classic backtracking matcher over one path component.
  const memo = new Map<number, boolean>();
  const go = (ti: number, ni: number): boolean => {
    const key = ti * (name.length + 1) + ni;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (ti === tokens.length) result = ni === name.length;
    else {
      const t = tokens[ti];
      if (t.kind === 'star') result = go(ti + 1, ni) || (ni < name.length && go(ti, ni + 1));
      else if (ni >= name.length) result = false;
      else if (t.kind === 'any') result = go(ti + 1, ni + 1);
      else if (t.kind === 'char') result = t.c === name[ni] && go(ti + 1, ni + 1);
      else {
        const c = name[ni];
        const inClass = t.items.some(([lo, hi]) => c >= lo && c <= hi);
        result = inClass !== t.negated && go(ti + 1, ni + 1);
      }
    }
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** True when the relative path segments (already split on `/`) match the compiled pattern. */
export function matchGlobSegments(glob: CompiledGlob, segments: string[]): boolean {
  const comps = glob.components;
  const go = (ci: number, si: number): boolean => {
    if (ci === comps.length) return si === segments.length;
    const c = comps[ci];
    if (c.recursive) {
      // `**` = zero or more directories. A trailing `**` also matches everything below.
      for (let k = si; k <= segments.length; k++) if (go(ci + 1, k)) return true;
      return false;
    }
    if (si >= segments.length) return false;
    return matchTokens(c.tokens, segments[si]) && go(ci + 1, si + 1);
  };
  return go(0, 0);
}

/**
 * Directory entries one expansion may visit. A tree of symlinks can multiply paths without a
 * loop (ten links to one directory at each of five levels = 100,000 paths); past this the
 * pattern is refused instead of letting the Nx daemon walk forever.
 */
export const MAX_GLOB_ENTRIES = 200_000;

/**
 * Expands a glob pattern relative to `root` (absolute patterns stay absolute, like
 * `PathBuf::join`). Returns absolute posix paths of matching files and directories, sorted.
 * Throws SpkError('workspace') for an invalid pattern or an expansion over MAX_GLOB_ENTRIES.
 *
 * Symlinks are followed like the glob crate does, except a symlink (or bind mount) that leads
 * back to a directory being walked: the glob crate would recurse until the OS says ELOOP
 * (exponentially many paths when a directory holds two such links; spk hangs). Such a loop is
 * not followed and is described in `warnings` (when given), once per looping path.
 */
export function expandGlob(pattern: string, root: string, warnings?: string[], reader: SpkReader = nodeReader): string[] {
  const glob = compileGlob(pattern);
  const base = glob.absolute ? '/' : root;
  // Literal leading components are joined onto the walk's start directory.
  let i = 0;
  const literalPrefix: string[] = [];
  while (i < glob.components.length - 1 && glob.components[i].literal) {
    literalPrefix.push(glob.components[i].text);
    i++;
  }
  const cwd = path.join(base, ...literalPrefix);
  const rest = glob.components.slice(i);
  if (rest.length === 0) return [];
  const out = new Set<string>();
  let visited = 0;
  const ancestors = new Set<string>();
  const loops = new Set<string>();
  // The directories above the walk's start (down from `base`) count as ancestors too: a link
  // back to the workspace root from below `packages/` is just as much a loop.
  for (let k = 0; k < literalPrefix.length; k++) {
    try {
      ancestors.add(reader.realpath(path.join(base, ...literalPrefix.slice(0, k))));
    } catch {
      break;
    }
  }

  const realDir = (p: string): string | undefined => {
    try {
      if (reader.kind(p) !== 'directory') return undefined;
      return reader.realpath(p);
    } catch {
      return undefined; // missing, dangling link, no permission: nothing below it
    }
  };
  const children = (p: string): string[] => {
    try {
      return reader.readDir(p);
    } catch {
      return [];
    }
  };
  const count = () => {
    if (++visited > MAX_GLOB_ENTRIES) {
      throw new SpkError(
        'workspace',
        `glob visited more than ${MAX_GLOB_ENTRIES} paths (symlinks multiplying directories?); narrow the pattern`,
        { input: pattern },
      );
    }
  };
  // `dir` is a directory on the current walk; list it unless that would re-enter an ancestor.
  const enter = (dir: string, body: (names: string[]) => void) => {
    const real = realDir(dir);
    if (real === undefined) return;
    if (ancestors.has(real)) {
      const shown = toPosix(path.relative(root, dir)) || '.';
      if (!loops.has(shown)) {
        loops.add(shown);
        warnings?.push(`symlink loop at '${shown}' (leads back to '${toPosix(real)}'); not followed`);
      }
      return;
    }
    const added = !ancestors.has(real);
    ancestors.add(real);
    try {
      body(children(dir).sort());
    } finally {
      if (added) ancestors.delete(real);
    }
  };
  const visit = (p: string, ci: number, isStart: boolean): void => {
    if (ci === rest.length) {
      if (!isStart) out.add(toPosix(p));
      return;
    }
    const c = rest[ci];
    if (c.recursive) {
      visit(p, ci + 1, isStart); // `**` = zero directories
      enter(p, (names) => {
        for (const n of names) {
          count();
          visit(path.join(p, n), ci, false);
        }
      });
      return;
    }
    if (c.literal) {
      const child = path.join(p, c.text);
      count();
      if (!reader.lexists(child)) return;
      visit(child, ci + 1, false);
      return;
    }
    enter(p, (names) => {
      for (const n of names) {
        count();
        if (matchTokens(c.tokens, n)) visit(path.join(p, n), ci + 1, false);
      }
    });
  };
  visit(cwd, 0, true);
  return [...out].sort();
}


/** True when the pattern contains no glob metacharacters (a literal path). */
export function isLiteralGlob(pattern: string): boolean {
  try {
    return compileGlob(pattern).components.every((c) => c.literal);
  } catch {
    return false;
  }
}
