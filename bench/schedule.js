'use strict';
/**
 * Benchmark 2: schedule efficiency. A workload (the example studio, or a generated DAG) is
 * built with the spk test double, whose builds sleep a per-package simulated duration
 * (deterministic from the seed), by `nx run-many -t spk-build --parallel=N --skip-nx-cache`
 * and by `make -jN` on the equivalent Makefile; both against the lower bound
 * max(critical path, total work / N).
 */
const fs = require('node:fs');
const path = require('node:path');
const { rng, generateDagWorkspace, makefileFor, lowerBound, writeFile } = require('./lib/generate');
const { makeWorkspace, nxEnv, nxBin, helpers, REPO } = require('./lib/workspace');
const { timed } = require('./lib/measure');

function copyDir(src, dst) {
  fs.cpSync(src, dst, { recursive: true });
}

/** Nodes [{name (project), pkg, version, recipe, templated, deps, ms}] in topological order, from `nx graph --file`. */
function nodesFromGraph(root, env, seed, minMs, maxMs) {
  const out = path.join(root, 'graph.json');
  timed([process.execPath, nxBin(root), 'graph', `--file=${out}`], { cwd: root, env });
  const g = JSON.parse(fs.readFileSync(out, 'utf8')).graph;
  const r = rng(seed + 29);
  const raw = Object.keys(g.nodes)
    .sort()
    .map((name) => {
      const spk = g.nodes[name].data.metadata.spk;
      return {
        name,
        pkg: spk.name,
        version: spk.version,
        recipe: spk.recipe,
        templated: spk.templated,
        deps: (g.dependencies[name] ?? []).map((d) => d.target).filter((t) => g.nodes[t]).sort(),
        ms: r.int(minMs, maxMs),
      };
    });
  // topological order (dependencies first)
  const byName = new Map(raw.map((n) => [n.name, n]));
  const done = new Set();
  const order = [];
  const visit = (n) => {
    if (done.has(n.name)) return;
    done.add(n.name);
    for (const d of n.deps) visit(byName.get(d));
    order.push(n);
  };
  for (const n of raw) visit(n);
  return order;
}

function spanOfLog(logFile, filter = () => true) {
  const entries = helpers().readDoubleLog(logFile).filter(filter);
  if (entries.length === 0) return { spanMs: NaN, builds: 0 };
  const start = Math.min(...entries.map((e) => e.start));
  const end = Math.max(...entries.map((e) => e.end));
  return { spanMs: end - start, builds: entries.filter((e) => e.argv[0] === 'build' && e.exit === 0).length, entries };
}

/**
 * Sets up a workload. kind: 'studio' | 'dag'. Returns { root, nodes, sleepEnv }.
 */
async function setupWorkload(kind, { nodes: count = 500, seed, minMs, maxMs, log }) {
  const root = await makeWorkspace(`sched-${kind}`);
  let nodes;
  if (kind === 'studio') {
    copyDir(path.join(REPO, 'examples', 'studio', 'packages'), path.join(root, 'packages'));
    fs.copyFileSync(path.join(REPO, 'examples', 'studio', 'workspace.spk.yaml'), path.join(root, 'workspace.spk.yaml'));
    nodes = nodesFromGraph(root, nxEnv(), seed, minMs, maxMs);
  } else {
    const gen = generateDagWorkspace(root, { nodes: count, seed, minMs, maxMs });
    nodes = gen.nodes.map((n) => ({ ...n, pkg: n.name, name: `${n.name}@${n.version}` }));
    // generator deps are package names; make them project names
    const proj = new Map(nodes.map((n) => [n.pkg, n.name]));
    for (const n of nodes) n.deps = n.deps.map((d) => proj.get(d) ?? d);
  }
  // Sleep per name/version, so each recipe-version of one package gets its own duration.
  const sleepEnv = nodes.map((n) => `${n.pkg}/${n.version}=${n.ms}`).join(',');
  const makeNodes = nodes.map((n) => ({ ...n, deps: n.deps.map((d) => d.replace(/[@/]/g, '_')), name: n.name.replace(/[@/]/g, '_') }));
  writeFile(root, 'Makefile', makefileFor(makeNodes, 'spk'));
  log(`schedule ${kind}: ${nodes.length} recipe-versions, ${nodes.reduce((a, n) => a + n.deps.length, 0)} edges`);
  return { root, nodes, sleepEnv };
}

function machineEnv(root, tag, sleepEnv) {
  const dir = path.join(root, '.machines', tag);
  fs.rmSync(dir, { recursive: true, force: true });
  const env = helpers().spkDoubleEnv(dir, { extra: { SPK_DOUBLE_SLEEP: sleepEnv } });
  return { dir, env, log: env.SPK_DOUBLE_LOG };
}

/** nx.json with the plugin and its hand-off option (the graph is recomputed when it changes). */
function setHandoff(root, handoff) {
  const nxJson = { plugins: [handoff ? 'nx-spk' : { plugin: 'nx-spk', options: { handoff: false } }] };
  fs.writeFileSync(path.join(root, 'nx.json'), `${JSON.stringify(nxJson, null, 2)}\n`);
}

/** spk calls of one run, per command: count and mean duration as the double logged them. */
function callsByCommand(entries) {
  const out = {};
  for (const e of entries) {
    const c = (out[e.argv[0]] ??= { count: 0, totalMs: 0 });
    c.count++;
    c.totalMs += e.end - e.start;
  }
  return out;
}

function runNx(w, n, i, { handoff = true } = {}) {
  fs.rmSync(path.join(w.root, 'dist'), { recursive: true, force: true });
  setHandoff(w.root, handoff);
  const m = machineEnv(w.root, `nx-${handoff ? 'handoff' : 'local'}-${n}-${i}`, w.sleepEnv);
  const r = timed(
    [process.execPath, nxBin(w.root), 'run-many', '-t', 'spk-build', `--parallel=${n}`, '--skip-nx-cache', '--output-style=static'],
    { cwd: w.root, env: nxEnv(m.env), timeoutMs: 1_800_000 },
  );
  const span = spanOfLog(m.log);
  if (span.builds !== w.nodes.length) throw new Error(`nx run-many built ${span.builds} of ${w.nodes.length}`);
  // The task phase: from the first spk call to the last one (graph computation excluded).
  return { wallMs: r.wallMs, spanMs: span.spanMs, calls: span.entries.length, byCommand: callsByCommand(span.entries) };
}

function runMake(w, n, i) {
  fs.rmSync(path.join(w.root, '.stamp'), { recursive: true, force: true });
  const m = machineEnv(w.root, `make-${n}-${i}`, w.sleepEnv);
  const r = timed(['make', '-s', `-j${n}`], { cwd: w.root, env: { ...nxEnv(), ...m.env }, timeoutMs: 1_800_000 });
  const span = spanOfLog(m.log);
  if (span.builds !== w.nodes.length) throw new Error(`make built ${span.builds} of ${w.nodes.length}`);
  const buildMs = new Map();
  for (const e of span.entries) if (e.argv[0] === 'build') buildMs.set(e.argv.find((a) => a.endsWith('.spk.yaml')) + (e.argv.includes('-o') ? e.argv[e.argv.indexOf('-o') + 1] : ''), e.end - e.start);
  return { wallMs: r.wallMs, spanMs: span.spanMs, buildMs, byCommand: callsByCommand(span.entries) };
}

async function runSchedule(kind, { parallel = [2, 4], repeats, seed, minMs = 50, maxMs = 400, nodes = 500, log }) {
  const w = await setupWorkload(kind, { nodes, seed, minMs, maxMs, log });
  const result = { kind, nodes: w.nodes.length, edges: w.nodes.reduce((a, n) => a + n.deps.length, 0), minMs, maxMs, byN: {} };
  for (const n of parallel) {
    const nominal = lowerBound(w.nodes, n);
    // nx: the default (hand-off on: import, build, export per task, cacheable and distributable);
    // nxLocal: `handoff: false`, the same single `spk build` per package as make.
    const row = { nominal, nx: [], nxLocal: [], make: [], measuredBound: [] };
    for (let i = 0; i < repeats; i++) {
      log(`schedule ${kind} -j${n}: repeat ${i + 1}/${repeats}`);
      const mk = runMake(w, n, i);
      row.make.push({ wallMs: mk.wallMs, spanMs: mk.spanMs, byCommand: mk.byCommand });
      // The bound again with each build's measured duration in this make run (the double's
      // own start-up, ~0.1–0.3 s of node, is real work that no scheduler can avoid).
      const measured = lowerBound(w.nodes, n, (x) => mk.buildMs.get(x.recipe + (x.templated ? `version=${x.version}` : '')) ?? x.ms);
      row.measuredBound.push(measured.bound);
      row.nx.push(runNx(w, n, i));
      row.nxLocal.push(runNx(w, n, i, { handoff: false }));
    }
    result.byN[n] = row;
  }
  return result;
}

module.exports = { runSchedule, nodesFromGraph };
