/**
 * The build fixture (e2e/fixtures/build-ws) as a fresh workspace, and the environment of one
 * simulated machine, shared by the e2e tests that build with the spk double.
 */
import * as path from 'node:path';
import { repoRoot } from './paths';
import { spkDoubleEnv } from './spk-double';
import { createWorkspace, readFixtureFiles, type TestWorkspace } from './workspace';

/** Host options pinned for the fixture, so the graph does not depend on the machine running the tests. */
export const BUILD_WS_HOST = { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' };

export async function buildFixtureWorkspace(pluginOptions: Record<string, unknown> = {}, nxExtra: Record<string, unknown> = {}): Promise<TestWorkspace> {
  const files = readFixtureFiles(path.join(repoRoot(), 'e2e', 'fixtures', 'build-ws'));
  // A studio keeps the build outputs out of git like node_modules and the Nx cache.
  files['.gitignore'] = 'node_modules\n.nx\ndist\n';
  return createWorkspace({
    files,
    nxJson: { plugins: [{ plugin: 'nx-spk', options: { hostOptions: BUILD_WS_HOST, ...pluginOptions } }], ...nxExtra },
    git: true,
  });
}

/**
 * The environment of one simulated machine: the spk double with its own repositories and log,
 * and its own Nx cache (`cacheName` under the machine's directory). Nx 24 otherwise shares one
 * local cache between all checkouts of a workspace (~/.nx/<id>/cache, id = git remote or first
 * commit), and two fixture workspaces committed in the same second have the same first commit:
 * "machine B" would read machine A's local cache and never touch the remote one.
 */
export function machineEnv(machineDir: string, opts: Parameters<typeof spkDoubleEnv>[1] = {}, cacheName = 'nx-cache'): Record<string, string> {
  return { ...spkDoubleEnv(machineDir, opts), NX_CACHE_DIRECTORY: path.join(machineDir, cacheName) };
}
