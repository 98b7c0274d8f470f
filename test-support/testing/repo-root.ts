/**
 * Test support: where the repository and its test data are. Tests run from sources (tsx) and
 * compiled (dist/), so the root is found by walking up to the package.json named "nx-spk"
 * rather than by a fixed relative path. Not shipped (test-support/ is outside package.json `files`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

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

/** The spk behaviour vectors (transcribed from spk's own tests; see the file's "groups"). */
export function vectorsFile(): string {
  return join(repoRoot(), 'test-support', 'data', 'spk-version-vectors.json');
}

/** The hand-written fixture studio (test-support/fixtures/studio): a workspace.spk.yaml and recipes. */
export function fixtureStudio(): string {
  return join(repoRoot(), 'test-support', 'fixtures', 'studio');
}

/**
 * Real spk `packages/` trees to check against (the conformance suite): NX_SPK_CONFORMANCE_DIR,
 * a path-delimiter separated list. Empty when unset: `npm test` never needs one.
 */
export function conformanceDirs(): string[] {
  const v = process.env.NX_SPK_CONFORMANCE_DIR ?? '';
  return v.split(delimiter).filter((d) => d.trim() !== '');
}
