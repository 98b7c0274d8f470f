'use strict';
/**
 * In-process measurement of the plugin's own work, without Nx around it:
 * `computeWorkspaceGraph` (read → render → resolve → project configurations) on the recipe
 * files Nx would pass, with cold (empty) or warm (pre-filled: per-recipe records and the
 * per-workspace results, both round-tripped through JSON as from disk) caches, then the
 * plugin's `createDependencies` on the result. Run as a child process so every figure starts
 * from a fresh heap:  node bench/lib/inproc.js <workspace> <cold|warm>  (profile it with node --cpu-prof, see profile.js)
 * Prints one JSON line: { cpuMs (both calls, including the building of the context), graphMs, depsMs, projects, edges }.
 */
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

function repoRoot() {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'nx-spk') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json named nx-spk above ${__dirname}`);
    dir = up;
  }
}

function listRecipeFiles(root) {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === '.nx' || e.name === '.git') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.spk.yaml')) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

function main() {
  const [ws, mode] = process.argv.slice(2);
  const dist = path.join(repoRoot(), 'dist', 'src', 'plugin');
  const { computeWorkspaceGraph } = require(path.join(dist, 'workspace-graph.js'));
  const { normalizeOptions } = require(path.join(dist, 'options.js'));
  const { createDependencies } = require(path.join(dist, 'create-dependencies.js'));
  const files = listRecipeFiles(ws);
  const opts = normalizeOptions({});
  const map = new Map();
  const cache = { get: (k) => map.get(k), set: (k, v) => map.set(k, v) };
  let resultsJson = '{}';
  let results = {};
  const resultCache = { get: (k) => results[k], set: (k, v) => (results[k] = v) };
  if (mode === 'warm') {
    computeWorkspaceGraph(files, opts, ws, cache, process.env, resultCache);
    // a warm cache comes from disk as JSON: do not let the benchmark share objects with it
    const copy = JSON.parse(JSON.stringify([...map]));
    map.clear();
    for (const [k, v] of copy) map.set(k, v);
    resultsJson = JSON.stringify(results);
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  // Parsing the results file is part of a warm run's cost (the per-recipe file is not read on a hit).
  results = JSON.parse(resultsJson);
  const graph = computeWorkspaceGraph(files, opts, ws, cache, process.env, mode === 'warm' ? resultCache : undefined);
  const t1 = performance.now();
  const projects = {};
  for (const perFile of graph.projectsByFile.values()) for (const p of Object.values(perFile)) projects[p.root] = p;
  const byName = {};
  for (const p of Object.values(projects)) byName[p.name] = p;
  const context = { projects: byName, externalNodes: {}, nxJsonConfiguration: {}, fileMap: { projectFileMap: {}, nonProjectFiles: [] }, filesToProcess: { projectFileMap: {}, nonProjectFiles: [] }, workspaceRoot: ws };
  const t2 = performance.now();
  const edges = createDependencies({}, context);
  const t3 = performance.now();
  const cpu = process.cpuUsage(c0);
  process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, graphMs: t1 - t0, depsMs: t3 - t2, projects: Object.keys(byName).length, edges: edges.length, files: files.length })}\n`);
}

main();
