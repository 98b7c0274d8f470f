/**
 * Locations the e2e harness needs. Tests run both from sources (tsx, e2e/*.ts) and
 * compiled (dist/e2e/*.js), so the repo root is found by walking up to the
 * package.json named "nx-spk" rather than by a fixed relative path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let cachedRoot: string | undefined;

export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'nx-spk') return (cachedRoot = dir);
      } catch {
        /* keep walking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`e2e harness: no package.json named "nx-spk" above ${__dirname}`);
    dir = up;
  }
}

/** Directory of the spk test double; put it first on PATH. */
export function spkDoubleDir(): string {
  return path.join(repoRoot(), 'e2e', 'fixtures', 'spk-double');
}

/** The spk test double executable (usable as SPK_BIN). */
export function spkDoubleBin(): string {
  return path.join(spkDoubleDir(), 'spk');
}

export function remoteCacheServerScript(): string {
  return path.join(repoRoot(), 'e2e', 'fixtures', 'remote-cache-server.js');
}
