#!/usr/bin/env node
// Regenerates (or with --check verifies) the example studio diagram in README.md from
// `nx-spk plan --format mermaid` on examples/studio. Statuses are computed as if spk were absent
// (--spk-bin pointing nowhere), so the picture is the same on every machine.
'use strict';
const { spawnSync } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const START = '<!-- studio-graph:start -->';
const END = '<!-- studio-graph:end -->';

function diagram() {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'nx-spk.js'), 'plan', '--format', 'mermaid', '--spk-bin', join(root, 'no-spk-here')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`nx-spk plan failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trimEnd();
}

function block(text) {
  return `${START}\n\`\`\`mermaid\n${text}\n\`\`\`\n${END}`;
}

function main() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error('README.md has no studio-graph markers');
  const current = readme.slice(a, b + END.length);
  const wanted = block(diagram());
  if (process.argv.includes('--check')) {
    if (current !== wanted) {
      console.error('README.md diagram is out of date with examples/studio: run `node scripts/readme-graph.js`');
      process.exit(1);
    }
    console.log('README.md diagram is up to date');
    return;
  }
  writeFileSync(join(root, 'README.md'), readme.slice(0, a) + wanted + readme.slice(b + END.length));
  console.log('README.md diagram updated');
}

module.exports = { diagram, block, START, END };
if (require.main === module) main();
