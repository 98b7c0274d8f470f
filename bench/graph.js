'use strict';
/**
 * Benchmark 1: graph inference at scale. For each size (recipe-versions), in one run:
 * nx cold / warm `nx show projects --json` on a synthetic spk workspace, Nx's own cost on the
 * same number of package.json projects, the read+parse floor, and the plugin's own share
 * (Nx's perf log + in-process computeWorkspaceGraph). Runs are interleaved (cold, warm,
 * package.json, floors, in-process, then again) so load swings hit every series alike.
 */
const fs = require('node:fs');
const path = require('node:path');
const { generateSpkWorkspace, generatePackageJsonWorkspace } = require('./lib/generate');
const { makeWorkspace, nxEnv, nxBin } = require('./lib/workspace');
const { timed } = require('./lib/measure');

const NX_CACHE_FILES = ['project-graph.json', 'file-map.json', 'source-maps.json'];

function perfTimes(stderr) {
  const out = {};
  for (const m of stderr.matchAll(/Time taken for '([^']+)' ([\d.]+)ms/g)) out[m[1]] = Number(m[2]);
  return out;
}

function showProjects(root, env, expected) {
  const r = timed([process.execPath, nxBin(root), 'show', 'projects', '--json'], { cwd: root, env });
  const n = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))).length;
  if (expected !== undefined && n !== expected) throw new Error(`${root}: expected ${expected} projects, nx showed ${n}`);
  const perf = perfTimes(r.stderr);
  return {
    wallMs: r.wallMs,
    projects: n,
    createNodesMs: perf['nx-spk:createNodes'],
    createDependenciesMs: perf['nx-spk:createDependencies'],
    pluginCacheFile: undefined,
  };
}

function wsData(root) {
  return path.join(root, '.nx', 'workspace-data');
}

function pluginCacheFiles(root) {
  try {
    return fs.readdirSync(wsData(root)).filter((f) => f.startsWith('nx-spk-') && f.endsWith('.hash'));
  } catch {
    return [];
  }
}

/** Every file of the plugin's caches: the per-recipe PluginCache (.hash) and the per-workspace results (.graph.json). */
function allPluginCacheFiles(root) {
  try {
    return fs.readdirSync(wsData(root)).filter((f) => f.startsWith('nx-spk-') && (f.endsWith('.hash') || f.endsWith('.graph.json')));
  } catch {
    return [];
  }
}

/**
 * Daemon incremental: with the Nx daemon on and the graph computed once, one recipe file is
 * edited (a comment appended: a new text, so its cache key and its workspace's key change) and
 * `nx show projects` is timed end to end. The edit is undone afterwards.
 */
function daemonIncremental(root, expected, recipe) {
  const env = nxEnv({ NX_DAEMON: 'true', CI: undefined, NX_PERF_LOGGING: 'false' });
  const nx = (args) => timed([process.execPath, nxBin(root), ...args], { cwd: root, env, allowFailure: true });
  nx(['daemon', '--stop']);
  const file = path.join(root, recipe);
  const original = fs.readFileSync(file, 'utf8');
  try {
    const prime = showProjects(root, env, expected);
    fs.writeFileSync(file, `${original}\n# touched by the daemon benchmark ${Date.now()}\n`);
    const touched = showProjects(root, env, expected);
    const unchanged = showProjects(root, env, expected);
    return { primeMs: prime.wallMs, incrementalMs: touched.wallMs, unchangedMs: unchanged.wallMs };
  } finally {
    fs.writeFileSync(file, original);
    nx(['daemon', '--stop']);
  }
}

function firstRecipe(root) {
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        const found = walk(r);
        if (found) return found;
      } else if (e.name.endsWith('.spk.yaml') && e.name !== 'workspace.spk.yaml') return r;
    }
    return undefined;
  };
  return walk('');
}

function node(args) {
  const r = timed([process.execPath, ...args], {});
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), wallMs: r.wallMs };
}

async function runGraphSize(size, { repeats, seed, log }) {
  log(`graph ${size}: generating workspaces`);
  const spkRoot = await makeWorkspace(`graph-spk-${size}`);
  const gen = generateSpkWorkspace(spkRoot, { recipeVersions: size, seed });
  const pjRoot = await makeWorkspace(`graph-pj-${size}`, { nxJson: {}, workspaces: ['packages/*'] });
  generatePackageJsonWorkspace(pjRoot, { projects: gen.recipeVersions, seed });

  const inproc = path.join(__dirname, 'lib', 'inproc.js');
  const floor = path.join(__dirname, 'lib', 'floor.js');
  const coldEnv = nxEnv({ NX_PERF_LOGGING: 'true', NX_CACHE_PROJECT_GRAPH: 'false' });
  const warmEnv = nxEnv({ NX_PERF_LOGGING: 'true' });

  // Prime the plugin cache (default settings write it), and check it was written.
  fs.rmSync(path.join(spkRoot, '.nx'), { recursive: true, force: true });
  showProjects(spkRoot, warmEnv, gen.recipeVersions);
  if (pluginCacheFiles(spkRoot).length !== 1) throw new Error(`${spkRoot}: no nx-spk plugin cache file after a default run`);
  const cacheBytes = fs.statSync(path.join(wsData(spkRoot), pluginCacheFiles(spkRoot)[0])).size;

  const runs = { cold: [], warm: [], pj: [], floorFiles: [], floorVersions: [], inCold: [], inWarm: [], cacheOff: [], daemon: [] };
  for (let i = 0; i < repeats; i++) {
    log(`graph ${size}: repeat ${i + 1}/${repeats}`);
    // cold: no daemon, no Nx graph cache, no plugin cache
    const keepDir = path.join(path.dirname(spkRoot), `${path.basename(spkRoot)}.plugin-cache`);
    fs.rmSync(keepDir, { recursive: true, force: true });
    fs.mkdirSync(keepDir, { recursive: true });
    const cacheNames = allPluginCacheFiles(spkRoot);
    for (const f of cacheNames) fs.copyFileSync(path.join(wsData(spkRoot), f), path.join(keepDir, f));
    fs.rmSync(path.join(spkRoot, '.nx'), { recursive: true, force: true });
    runs.cold.push(showProjects(spkRoot, coldEnv, gen.recipeVersions));
    // (PluginCache still *writes* its file under NX_CACHE_PROJECT_GRAPH=false; it only ignores it on load.)

    // warm: the plugin cache present, Nx's own graph caches removed (see BENCHMARKS.md, method)
    fs.rmSync(path.join(spkRoot, '.nx'), { recursive: true, force: true });
    fs.mkdirSync(wsData(spkRoot), { recursive: true });
    for (const f of cacheNames) fs.copyFileSync(path.join(keepDir, f), path.join(wsData(spkRoot), f));
    runs.warm.push(showProjects(spkRoot, warmEnv, gen.recipeVersions));

    // fact check, first repeat only: the plugin cache file present but NX_CACHE_PROJECT_GRAPH=false
    if (i === 0) {
      for (const f of NX_CACHE_FILES) fs.rmSync(path.join(wsData(spkRoot), f), { force: true });
      runs.cacheOff.push(showProjects(spkRoot, coldEnv, gen.recipeVersions));
    }

    fs.rmSync(path.join(pjRoot, '.nx'), { recursive: true, force: true });
    runs.pj.push(showProjects(pjRoot, coldEnv, gen.recipeVersions));

    runs.floorFiles.push(node([floor, spkRoot, 'files']));
    runs.floorVersions.push(node([floor, spkRoot, 'versions']));
    runs.inCold.push(node([inproc, spkRoot, 'cold']));
    runs.inWarm.push(node([inproc, spkRoot, 'warm']));
    if (i === 0) {
      log(`graph ${size}: daemon incremental`);
      runs.daemon.push(daemonIncremental(spkRoot, gen.recipeVersions, firstRecipe(spkRoot)));
    }
  }
  return {
    size,
    recipeFiles: gen.files,
    recipeVersions: gen.recipeVersions,
    requirements: gen.requirements,
    edges: runs.inCold[0]?.edges,
    pluginCacheBytes: cacheBytes,
    projectGraphBytes: fs.existsSync(path.join(wsData(spkRoot), 'project-graph.json')) ? fs.statSync(path.join(wsData(spkRoot), 'project-graph.json')).size : undefined,
    runs,
  };
}

module.exports = { runGraphSize };
