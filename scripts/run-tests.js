#!/usr/bin/env node
// Runs the compiled test files with node's built-in test runner.
// Node 20's `node --test` does not expand globs, so we collect the files here.
//   (no flag)  `npm test`: every unit test + the fast e2e subset (real nx in fresh temp workspaces)
//   --unit     unit tests only
//   --e2e      every e2e scenario (`npm run test:e2e`; the slow ones live only here)
// The conformance suite (dist/conformance) has its own runner: scripts/conformance.js.
'use strict';
const { readdirSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const onlyUnit = args.includes('--unit');
const onlyE2e = args.includes('--e2e');

function collect(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const unit = [
  ...collect(join(root, 'dist', 'src'), []),
  ...collect(join(root, 'dist', 'executors'), []),
  ...collect(join(root, 'dist', 'generators'), []),
  ...collect(join(root, 'dist', 'test-support'), []),
].sort();
const e2e = collect(join(root, 'dist', 'e2e'), []).sort();
// The e2e files `npm test` runs: each packs the plugin and drives real nx in a fresh temp
// workspace, and together they cover the plugin's graph, the generators and the harness in a
// few minutes. Build/interrupt/plan/remote-cache/spk-double scenarios run in `npm run test:e2e`.
const FAST_E2E = ['helpers/harness.test.js', 'readme-graph.test.js', 'plugin-edge-cases.test.js', 'generators.test.js'];
const fastE2e = e2e.filter((f) => FAST_E2E.includes(relative(join(root, 'dist', 'e2e'), f).split('\\').join('/')));
if (!onlyUnit && !onlyE2e && fastE2e.length !== FAST_E2E.length) {
  console.error(`fast e2e subset: expected ${FAST_E2E.join(', ')}; found ${fastE2e.map((f) => relative(root, f)).join(', ')}`);
  process.exit(1);
}
const files = onlyUnit ? unit : onlyE2e ? e2e : [...unit, ...fastE2e];
if (files.length === 0) {
  console.error('no test files found under dist/ (did the build run?)');
  process.exit(1);
}
console.log(`running ${files.length} test files (${onlyE2e ? 0 : unit.length} unit, ${onlyUnit ? 0 : onlyE2e ? e2e.length : fastE2e.length} e2e)`);
const res = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: 'inherit' },
);
process.exit(res.status ?? 1);
