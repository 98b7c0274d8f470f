'use strict';
/**
 * Benchmark 4: a fully cached replay. examples/studio (32 recipe-versions), every spk-build
 * already in the Nx cache, `nx run-many -t spk-build` again: what Nx users run most.
 *
 * Measured side by side, alternating, in two copies of the same workspace on the same spk
 * double:
 * - **default**: the plugin as shipped (its only runtime input is the spk version, memoised
 *   per nx invocation: src/plugin/targets.ts spkVersionRuntimeInput);
 * - **no runtime inputs**: the same plugin with that input removed from its targets (the
 *   installed copy of dist/src/plugin/targets.js is patched in that workspace only; it is a
 *   new file, so the hard-linked template is not touched). The goal: default ≤ 1.2× this.
 * Also counted: `spk version` calls per replay in the default copy (from the double's log).
 */
const fs = require('node:fs');
const path = require('node:path');
const { makeWorkspace, nxEnv, nxBin, helpers, REPO } = require('./lib/workspace');
const { timed } = require('./lib/measure');

const STUDIO = path.join(REPO, 'examples', 'studio');

function copyStudio(root) {
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const to = path.join(root, path.relative(STUDIO, p));
      if (e.isDirectory()) {
        fs.mkdirSync(to, { recursive: true });
        walk(p);
      } else fs.copyFileSync(p, to);
    }
  };
  walk(STUDIO);
}

/** Replaces the installed plugin's runtime input with nothing (a new file, not an in-place edit). */
function dropRuntimeInput(root) {
  const file = path.join(root, 'node_modules', 'nx-spk', 'dist', 'src', 'plugin', 'targets.js');
  const text = fs.readFileSync(file, 'utf8');
  const patched = text.replace('{ runtime: spkVersionInput }', '');
  if (patched === text) throw new Error(`cached-replay: the runtime input was not found in ${file}`);
  fs.rmSync(file);
  fs.writeFileSync(file, patched);
}

async function runCachedReplay({ repeats = 5, log }) {
  const h = helpers();
  const copies = {};
  for (const kind of ['default', 'noRuntime']) {
    const root = await makeWorkspace(`cached-replay-${kind}`);
    copyStudio(root);
    if (kind === 'noRuntime') dropRuntimeInput(root);
    const machine = path.join(root, '.machines', 'm');
    const env = nxEnv({ ...h.spkDoubleEnv(machine), NX_CACHE_DIRECTORY: path.join(root, '.nx', 'cache') });
    log(`cached-replay: filling the cache (${kind})`);
    timed([process.execPath, nxBin(root), 'run-many', '-t', 'spk-build', '--output-style=static'], { cwd: root, env });
    copies[kind] = { root, env, log: env.SPK_DOUBLE_LOG };
  }
  const out = { tasks: 32, repeats, default: [], noRuntime: [], versionCalls: [], versionCallMs: [] };
  const versionCalls = (file) => h.readDoubleLog(file).filter((e) => e.argv[0] === 'version' || e.argv[0] === '--version').length;
  for (let i = 0; i < repeats; i++) {
    log(`cached-replay: repeat ${i + 1}/${repeats}`);
    // Alternate which copy goes first, so drift in the machine's load hits both alike.
    const order = i % 2 === 0 ? ['default', 'noRuntime'] : ['noRuntime', 'default'];
    for (const kind of order) {
      const c = copies[kind];
      const before = versionCalls(c.log);
      const r = timed([process.execPath, nxBin(c.root), 'run-many', '-t', 'spk-build', '--output-style=static'], { cwd: c.root, env: c.env });
      const hit = /Nx read the output from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(r.stdout + r.stderr);
      if (!hit || hit[1] !== hit[2]) throw new Error(`cached-replay: not fully cached (${kind}): ${(r.stdout + r.stderr).slice(-2000)}`);
      out[kind].push({ wallMs: r.wallMs, cpuMs: r.cpuMs });
      if (kind === 'default') out.versionCalls.push(versionCalls(c.log) - before);
    }
    // What the one remaining spk call costs by itself (the double is a Node process; a real
    // spk answers `spk version` in milliseconds).
    out.versionCallMs.push(timed(['spk', 'version'], { cwd: copies.default.root, env: copies.default.env }).wallMs);
  }
  return out;
}

module.exports = { runCachedReplay };
