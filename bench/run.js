#!/usr/bin/env node
'use strict';
/**
 * nx-spk benchmarks → BENCHMARKS.md (and bench/results.json, the raw figures).
 *
 *   node bench/run.js [--sizes 1000,5000,20000] [--repeats 3,2,1] [--schedule studio,dag]
 *                     [--parallel 2,4] [--dag-nodes 500] [--schedule-repeats 3,1]
 *                     [--overhead-tasks 8] [--overhead-repeats 3] [--seed 1]
 *                     [--replay-repeats 5]
 *                     [--only graph,schedule,overhead,cached-replay] [--out BENCHMARKS.md]
 *   node bench/run.js --report-only [OUT]   re-render BENCHMARKS.md from bench/results.json
 *
 * `--repeats` is one count per size (the last one repeats). `--only` keeps the other sections
 * from the previous bench/results.json (the report says which, and from when). Needs `npm run build` first (the
 * plugin is packed from dist/ and installed with nx 24.0.6 into temp workspaces under
 * $TMPDIR/nx-spk-bench). Every number in the report comes from this run.
 */
const fs = require('node:fs');
const path = require('node:path');
const { runGraphSize } = require('./graph');
const { runSchedule } = require('./schedule');
const { runOverhead } = require('./overhead');
const { runCachedReplay } = require('./cached-replay');
const { REPO } = require('./lib/workspace');
const { machine } = require('./lib/measure');
const { renderReport } = require('./lib/report');
const { profileInproc } = require('./lib/profile');

function parseArgs(argv) {
  const o = {
    sizes: [1000, 5000, 20000],
    repeats: [3, 2, 1],
    schedule: ['studio', 'dag'],
    parallel: [2, 4],
    dagNodes: 500,
    scheduleRepeats: [3, 1],
    overheadTasks: 8,
    overheadRepeats: 3,
    replayRepeats: 5,
    seed: 1,
    only: ['graph', 'schedule', 'overhead', 'cached-replay'],
    out: path.join(REPO, 'BENCHMARKS.md'),
  };
  const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);
  const nums = (v) => list(v).map(Number);
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split('=', 2);
    const v = () => (inline !== undefined ? inline : argv[++i]);
    switch (k) {
      case '--sizes': o.sizes = nums(v()); break;
      case '--repeats': o.repeats = nums(v()); break;
      case '--schedule': o.schedule = list(v()); break;
      case '--parallel': o.parallel = nums(v()); break;
      case '--dag-nodes': o.dagNodes = Number(v()); break;
      case '--schedule-repeats': o.scheduleRepeats = nums(v()); break;
      case '--overhead-tasks': o.overheadTasks = Number(v()); break;
      case '--overhead-repeats': o.overheadRepeats = Number(v()); break;
      case '--seed': o.seed = Number(v()); break;
      case '--replay-repeats': o.replayRepeats = Number(v()); break;
      case '--only': o.only = list(v()); break;
      case '--out': o.out = path.resolve(v()); break;
      case '-h': case '--help':
        process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
        process.exit(0);
        break;
      default:
        throw new Error(`bench/run.js: unknown argument ${argv[i]}`);
    }
  }
  return o;
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--report-only') {
    // Re-render BENCHMARKS.md from the last run's bench/results.json (no measuring).
    const saved = JSON.parse(fs.readFileSync(path.join(__dirname, 'results.json'), 'utf8'));
    fs.writeFileSync(path.resolve(args[1] ?? path.join(REPO, 'BENCHMARKS.md')), renderReport(saved));
    return;
  }
  const o = parseArgs(args);
  const started = Date.now();
  const log = (m) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${m}\n`);
  const nxVersion = require(path.join(REPO, 'node_modules', 'nx', 'package.json')).version;
  const results = {
    date: new Date().toISOString(),
    command: `node bench/run.js${args.length ? ` ${args.join(' ')}` : ''}`,
    machine: machine(),
    nxVersion,
    pluginVersion: require(path.join(REPO, 'package.json')).version,
    options: o,
    load: [],
    graph: [],
    schedule: [],
    overhead: null,
    cachedReplay: null,
  };
  const noteLoad = (what) => {
    results.load.push({ what, loadavg: require('node:os').loadavg().map((x) => Number(x.toFixed(2))) });
    // Written as it goes, so a failure late in a long run keeps what was measured.
    fs.writeFileSync(path.join(__dirname, 'results.partial.json'), `${JSON.stringify(results, (k, v) => (v instanceof Map ? undefined : v), 1)}\n`);
  };
  noteLoad('start');
  if (o.only.includes('graph')) {
    for (let i = 0; i < o.sizes.length; i++) {
      const repeats = o.repeats[Math.min(i, o.repeats.length - 1)];
      results.graph.push(await runGraphSize(o.sizes[i], { repeats, seed: o.seed, log }));
      noteLoad(`graph ${o.sizes[i]}`);
    }
    // CPU profile of the plugin's own cold work on the smallest workspace
    log('graph: cpu profile');
    const smallest = results.graph[0];
    const ws = require('node:path').join(require('./lib/workspace').benchRoot(), `graph-spk-${smallest.size}`);
    results.profile = { size: smallest.recipeVersions, ...profileInproc(ws, 'cold') };
  }
  if (o.only.includes('schedule')) {
    for (let i = 0; i < o.schedule.length; i++) {
      const kind = o.schedule[i];
      const repeats = o.scheduleRepeats[Math.min(i, o.scheduleRepeats.length - 1)];
      results.schedule.push(await runSchedule(kind, { parallel: o.parallel, repeats, seed: o.seed, nodes: o.dagNodes, log }));
      noteLoad(`schedule ${kind}`);
    }
  }
  if (o.only.includes('overhead')) {
    results.overhead = await runOverhead({ tasks: o.overheadTasks, repeats: o.overheadRepeats, seed: o.seed, log });
    noteLoad('overhead');
  }
  if (o.only.includes('cached-replay')) {
    results.cachedReplay = await runCachedReplay({ repeats: o.replayRepeats, log });
    noteLoad('cached-replay');
  }
  results.durationMs = Date.now() - started;
  // `--only` reruns some sections: keep the others from the previous results.json, and say so.
  const previousFile = path.join(__dirname, 'results.json');
  if (o.only.length < 4 && fs.existsSync(previousFile)) {
    const previous = JSON.parse(fs.readFileSync(previousFile, 'utf8'));
    const kept = [];
    if (!o.only.includes('graph') && previous.graph?.length) {
      results.graph = previous.graph;
      results.profile = previous.profile;
      kept.push('graph');
    }
    if (!o.only.includes('schedule') && previous.schedule?.length) {
      results.schedule = previous.schedule;
      kept.push('schedule');
    }
    if (!o.only.includes('overhead') && previous.overhead) {
      results.overhead = previous.overhead;
      kept.push('overhead');
    }
    if (!o.only.includes('cached-replay') && previous.cachedReplay) {
      results.cachedReplay = previous.cachedReplay;
      kept.push('cached-replay');
    }
    // Options of the sections kept, so the report describes how they were measured.
    if (kept.length) results.options = { ...previous.options, only: o.only, replayRepeats: o.replayRepeats };
    if (kept.length) {
      results.kept = { sections: kept, from: previous.date, command: previous.kept ? `${previous.command} (itself partial)` : previous.command, load: previous.load };
      // The load figures of the kept sections only, labelled once (a kept section's figures carry
      // their label from run to run instead of gaining another).
      const earlier = (l) => l.what.replace(/( \(earlier run\))+$/, '');
      const keptLoad = previous.load.filter((l) => kept.includes(earlier(l).split(' ')[0]));
      results.load = [...keptLoad.map((l) => ({ ...l, what: `${earlier(l)} (earlier run)` })), ...results.load];
    }
  }
  fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, (k, v) => (v instanceof Map ? undefined : k === 'out' && typeof v === 'string' ? path.relative(REPO, v) : v), 1)}\n`);
  fs.rmSync(path.join(__dirname, 'results.partial.json'), { force: true });
  fs.writeFileSync(o.out, renderReport(results));
  log(`wrote ${path.relative(process.cwd(), o.out)} and bench/results.json in ${((Date.now() - started) / 60000).toFixed(1)} min`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
