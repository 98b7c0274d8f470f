#!/usr/bin/env node
// Runs the compiled test files with node's built-in test runner.
// Node 20's `node --test` does not expand globs, so we collect the files here.
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
].sort();
const e2e = collect(join(root, 'dist', 'e2e'), []).sort();
const files = onlyUnit ? unit : onlyE2e ? e2e : [...unit, ...e2e];
if (files.length === 0) {
  console.error('no test files found under dist/ (did the build run?)');
  process.exit(1);
}
console.log(`running ${files.length} test files (${unit.length} unit, ${e2e.length} e2e)`);
const res = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: 'inherit' },
);
process.exit(res.status ?? 1);
