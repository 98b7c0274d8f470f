#!/usr/bin/env node
// The conformance suite: runs the plugin over real spk packages/ trees given by path.
//   npm run test:conformance -- <path> [<path>...]
//   NX_SPK_CONFORMANCE_DIR=<path>[:<path>...] npm run test:conformance
// Generic invariants run on every tree; expectations hand-checked against spk's own packages/
// tree (github.com/spkenv/spk) run only when a given tree holds the recipes they name.
'use strict';
const { existsSync, readdirSync } = require('node:fs');
const { delimiter, join, resolve, relative } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const fromArgs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dirs = (fromArgs.length ? fromArgs : (process.env.NX_SPK_CONFORMANCE_DIR ?? '').split(delimiter))
  .filter((d) => d.trim() !== '')
  .map((d) => resolve(d));
if (dirs.length === 0) {
  console.error('usage: npm run test:conformance -- <spk packages/ tree> [...]  (or set NX_SPK_CONFORMANCE_DIR)');
  process.exit(2);
}
for (const d of dirs) {
  if (!existsSync(d)) {
    console.error(`conformance: ${d} does not exist`);
    process.exit(2);
  }
}
const dir = join(root, 'dist', 'conformance');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => relative(root, join(dir, f))) : [];
if (files.length === 0) {
  console.error('no conformance tests under dist/conformance (did the build run?)');
  process.exit(1);
}
console.log(`conformance: ${files.length} test files over ${dirs.join(', ')}`);
const res = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NX_SPK_CONFORMANCE_DIR: dirs.join(delimiter) },
});
process.exit(res.status ?? 1);
