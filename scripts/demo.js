#!/usr/bin/env node
// The demo (`npm run demo`, after `npm ci`): the plugin on the embedded example studio
// (examples/studio, wired in this repository's nx.json). Shows the inferred recipe-versions,
// the edges of one interesting project with their explanations, the build plan's waves (also
// for one platform: nx-spk plan --platform), and
// runs `nx run-many -t spk-build`: for real when `spk` is on PATH, else as a dry run that
// prints the exact spk commands in dependency order.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { delimiter, join } = require('node:path');

const root = join(__dirname, '..');
// nx 24 ships its CLI at the path named in its package.json `bin` (dist/bin/nx.js).
const nxPkg = require(join(root, 'node_modules', 'nx', 'package.json'));
const nxBin = join(root, 'node_modules', 'nx', typeof nxPkg.bin === 'string' ? nxPkg.bin : nxPkg.bin.nx);
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

function run(cmd, args, extraEnv = {}, capture = true) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    if (capture) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    console.error(`demo: ${[cmd, ...args].join(' ')} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  return r.stdout;
}

function nx(args, extraEnv, capture) {
  return run(process.execPath, [nxBin, ...args], extraEnv, capture);
}

function heading(text) {
  console.log(`\n\u2500\u2500 ${text} ${'\u2500'.repeat(Math.max(0, 74 - text.length))}`);
}

function spkOnPath() {
  if (process.env.SPK_BIN) return existsSync(process.env.SPK_BIN);
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, 'spk')));
}

const started = Date.now();
heading('1. Recipe-versions inferred from examples/studio/workspace.spk.yaml');
const projects = JSON.parse(nx(['show', 'projects', '--json']));
const byPkg = new Map();
for (const p of projects.sort()) {
  const [name, version] = [p.slice(0, p.lastIndexOf('@')), p.slice(p.lastIndexOf('@') + 1)];
  byPkg.set(name, [...(byPkg.get(name) ?? []), version]);
}
for (const [name, versions] of [...byPkg].sort()) console.log(`  ${name.padEnd(24)} ${versions.join('  ')}`);
console.log(`  (${projects.length} Nx projects from ${byPkg.size} packages)`);

const focus = 'studio-tools@1.2.0';
heading(`2. Why ${focus} depends on what it depends on (nx-spk explain ${focus})`);
// The explanations are computed on demand (`nx-spk explain`), not stored in the project configuration.
const explainBin = join(root, 'bin', 'nx-spk.js');
const explained = JSON.parse(run(process.execPath, [explainBin, 'explain', focus, '--json']));
for (const r of explained.requirements) {
  const to = r.target ?? '';
  console.log(`  ${r.role.padEnd(13)} ${r.request.padEnd(28)} ${r.resolution.padEnd(11)} ${to}`);
  console.log(`  ${' '.repeat(13)} \u2514 ${r.reason}`);
}

heading('3. The build plan (nx-spk plan): waves of recipe-versions that can build in parallel');
const planBin = join(root, 'bin', 'nx-spk.js');
if (existsSync(planBin) && existsSync(join(root, 'dist', 'src', 'cli', 'nx-spk.js'))) {
  run(process.execPath, [planBin, 'plan'], {}, false);
  heading('3b. Building a platform (nx-spk plan --platform): what spk-build-platform builds');
  // render-platform pins cmake/3.24.4 and, through its base site-platform, python/3.9.15 and
  // zlib/1.2.13; no versions list names the first two, each comes from its one template.
  run(process.execPath, [planBin, 'plan', '--platform', 'render-platform@2025.1.0'], {}, false);
} else {
  console.log('  (nx-spk plan is not built in this checkout)');
}

const real = spkOnPath();
heading(real ? '4. nx run-many -t spk-build (spk found on PATH: building for real)' : '4. nx run-many -t spk-build (spk is not on PATH: DRY RUN, printing the exact spk commands in order)');
nx(
  ['run-many', '-t', 'spk-build', '--parallel=3', '--output-style=stream', ...(real ? [] : ['--skip-nx-cache'])],
  real ? {} : { NX_SPK_DRY_RUN: '1' },
  false,
);
console.log(`\ndemo finished in ${((Date.now() - started) / 1000).toFixed(1)}s${real ? '' : ' (dry run: no spk on PATH)'}`);
