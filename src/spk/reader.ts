/**
 * The injected-reader seam of the pure spk model.
 *
 * src/spk does parsing and semantics only. Where spk itself reads the machine — recipe and
 * workspace files, directory listings for globs, `$PWD`/getcwd for relative paths, the host's
 * OS/arch and `/etc/os-release` — the functions take a `SpkReader` argument. `nodeReader` is the
 * default backed by node:fs and the current process; this file is the ONLY module under src/spk
 * allowed to touch node:fs or `process` (the check `grep -rn "process\.\|node:fs" src/spk` must
 * find nothing else). Tests and callers that want a virtual file system pass their own reader.
 */
import * as fs from 'node:fs';
import path from 'node:path';

export interface SpkReader {
  /** UTF-8 text of a file; throws (with the OS message) when it cannot be read. */
  readText(absPath: string): string;
  /** `stat` following symlinks: 'file', 'directory', 'other', or undefined when it does not exist. */
  kind(p: string): 'file' | 'directory' | 'other' | undefined;
  /** True when something (even a dangling symlink) is at `p` (`lstat`). */
  lexists(p: string): boolean;
  /** `realpath`; throws when `p` does not resolve. */
  realpath(p: string): string;
  /** Directory entry names; throws when `p` cannot be listed. */
  readDir(p: string): string[];
  /** The process's working directory (getcwd), what `path.resolve` would use. */
  cwd(): string;
  /**
   * The directory spk's workspace discovery resolves a relative start against: `$PWD` when it is
   * absolute (symlinked working directories are kept as typed), else getcwd
   * (`WorkspaceFile::discover`, crates/spk-workspace/src/file.rs).
   */
  pwd(): string;
  /** Node's `process.platform` / `process.arch` (mapped to Rust's names by host.ts). */
  platform(): { platform: string; arch: string };
}

/** The real machine: node:fs and the current process. */
export const nodeReader: SpkReader = {
  readText: (p) => fs.readFileSync(p, 'utf8'),
  kind(p) {
    try {
      const st = fs.statSync(p);
      return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
    } catch {
      return undefined;
    }
  },
  lexists(p) {
    try {
      fs.lstatSync(p);
      return true;
    } catch {
      return false;
    }
  },
  realpath: (p) => fs.realpathSync(p),
  readDir: (p) => fs.readdirSync(p),
  cwd: () => process.cwd(),
  pwd() {
    const pwd = process.env.PWD;
    return pwd && path.isAbsolute(pwd) ? pwd : process.cwd();
  },
  platform: () => ({ platform: process.platform, arch: process.arch }),
};
