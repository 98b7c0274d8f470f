'use strict';
/**
 * Does the js-yaml fast path (src/spk/yaml-fast.ts) pay for itself? Cold in-process graph
 * (bench/lib/inproc.js) on one generated workspace, with the fast path and without it,
 * alternating, in fresh child processes:
 *   npm run build && node bench/yaml-fast.js [recipeVersions=5000] [repeats=3]
 * "without" preloads a module that replaces the compiled `fastYamlData` export with one that
 * always declines, so every rendered version takes the canonical `yaml` parser (what the code
 * would do with no fast path). The switch lives here only; src/spk reads no environment.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { generateSpkWorkspace } = require('./lib/generate');

const size = Number(process.argv[2] ?? 5000);
const repeats = Number(process.argv[3] ?? 3);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-yaml-fast-'));
const ws = path.join(root, 'ws');
const gen = generateSpkWorkspace(ws, { recipeVersions: size, seed: 1 });
const preload = path.join(root, 'no-yaml-fast.js');
const fastModule = path.join(__dirname, '..', 'dist', 'src', 'spk', 'yaml-fast.js');
fs.writeFileSync(preload, `require(${JSON.stringify(fastModule)}).fastYamlData = () => undefined;\n`);
const inproc = path.join(__dirname, 'lib', 'inproc.js');

const run = (withFast) => {
  const args = withFast ? [inproc, ws, 'cold'] : ['-r', preload, inproc, ws, 'cold'];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n').pop());
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = { with: [], without: [] };
for (let i = 0; i < repeats; i++) {
  // alternate which goes first, so drift on a shared machine falls on both
  const order = i % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
  for (const k of order) {
    const r = run(k === 'with');
    runs[k].push(r);
    process.stderr.write(`${k.padEnd(7)} graphMs=${r.graphMs.toFixed(0)} cpuMs=${r.cpuMs.toFixed(0)} projects=${r.projects} edges=${r.edges}\n`);
  }
}
const summary = {};
for (const k of ['with', 'without']) {
  summary[k] = { graphMs: runs[k].map((r) => Math.round(r.graphMs)), cpuMs: runs[k].map((r) => Math.round(r.cpuMs)), medianGraphMs: Math.round(median(runs[k].map((r) => r.graphMs))), medianCpuMs: Math.round(median(runs[k].map((r) => r.cpuMs))), projects: runs[k][0].projects, edges: runs[k][0].edges };
}
summary.savedGraphPct = Math.round((1000 * (summary.without.medianGraphMs - summary.with.medianGraphMs)) / summary.without.medianGraphMs) / 10;
summary.savedCpuPct = Math.round((1000 * (summary.without.medianCpuMs - summary.with.medianCpuMs)) / summary.without.medianCpuMs) / 10;
summary.recipeVersions = gen.total ?? size;
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
fs.rmSync(root, { recursive: true, force: true });
