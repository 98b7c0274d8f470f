'use strict';
/**
 * Benchmark workspaces: the e2e harness's template (nx 24.0.6 + the packed plugin, installed
 * once, see e2e/helpers/workspace.ts) hard-linked into a fresh directory under
 * os.tmpdir()/nx-spk-bench/. Needs dist/ (npm run build).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..', '..');

function helpers() {
  const p = path.join(REPO, 'dist', 'e2e', 'helpers', 'index.js');
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run \`npm run build\` first`);
  return require(p);
}

function benchRoot() {
  const d = path.join(os.tmpdir(), 'nx-spk-bench');
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/** Environment for nx: the harness's (no daemon, no cloud, no TUI, no leaked NX_*), plus extra. */
function nxEnv(extra = {}) {
  return helpers().nxTestEnv(extra);
}

/**
 * A new workspace dir `name` (replaced if it exists) with node_modules from the template,
 * package.json (+ `workspaces` when given), nx.json and .gitignore.
 */
async function makeWorkspace(name, { nxJson, workspaces } = {}) {
  const h = helpers();
  const template = await h.workspaceTemplate(h.DEFAULT_NX_VERSION);
  const root = path.join(benchRoot(), name);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const cp = spawnSync('cp', ['-al', path.join(template, 'node_modules'), path.join(root, 'node_modules')]);
  if (cp.status !== 0) {
    const full = spawnSync('cp', ['-a', path.join(template, 'node_modules'), path.join(root, 'node_modules')]);
    if (full.status !== 0) throw new Error(`cannot copy ${template}/node_modules: ${full.stderr}`);
  }
  const pj = { name: `bench-${name}`, version: '0.0.0', private: true, ...(workspaces ? { workspaces } : {}) };
  fs.writeFileSync(path.join(root, 'package.json'), `${JSON.stringify(pj, null, 2)}\n`);
  fs.writeFileSync(path.join(root, 'nx.json'), `${JSON.stringify(nxJson ?? { plugins: ['nx-spk'] }, null, 2)}\n`);
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules\n.nx\ndist\n.stamp\n');
  return root;
}

function nxBin(root) {
  return path.join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
}

module.exports = { REPO, helpers, benchRoot, nxEnv, makeWorkspace, nxBin };
