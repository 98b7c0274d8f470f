/**
 * Test support: where the repository and the read-only `../shared` folder are. Tests run from
 * sources (tsx) and compiled (dist/), so the root is found by walking up to the package.json
 * named "nx-spk" rather than by a fixed relative path. Not shipped (package.json `files`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

export function repoRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, 'utf8')).name === 'nx-spk') return (cached = dir);
      } catch {
        // not a package.json we can read: keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json named "nx-spk" above ${__dirname}`);
    dir = up;
  }
}

/** The read-only ../shared folder beside the repository (spk corpus, vectors, references). */
export function sharedDir(): string {
  return join(repoRoot(), '..', 'shared');
}
