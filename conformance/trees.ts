/**
 * The spk `packages/` trees the conformance suite checks: NX_SPK_CONFORMANCE_DIR (set by
 * `npm run test:conformance -- <path>...`). Generic invariants run on every tree; the hand-checked
 * expectations are keyed by recognisable recipes of spk's own packages/ tree
 * (github.com/spkenv/spk, packages/) and are skipped on trees that do not hold them.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { conformanceDirs } from '../test-support/testing/repo-root';

export const HOST = { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' };

export function trees(): string[] {
  return conformanceDirs().map((d) => resolve(d));
}

/** The first tree holding `rel` (a path inside the tree), if any. */
export function treeWith(rel: string): string | undefined {
  return trees().find((t) => existsSync(join(t, rel)));
}

/**
 * spk's own packages/ tree (the workspace at the root of github.com/spkenv/spk): recognised by
 * its workspace file listing python3 by brace expansion and a few of its recipes.
 */
export function spkPackagesTree(): string | undefined {
  return trees().find((t) =>
    ['workspace.spk.yaml', 'packages/python/python3.spk.yaml', 'packages/alembic/alembic.spk.yaml', 'packages/openvdb/openvdb.spk.yaml'].every((f) =>
      existsSync(join(t, f)),
    ),
  );
}

export const NO_TREE = 'no spk packages/ tree given (npm run test:conformance -- <path>)';
export const NOT_SPK_TREE = "not spk's own packages/ tree (hand-checked expectations need its recipes)";
