'use strict';
/**
 * Benchmark 3: per-task overhead of the spk-build executor. K independent recipes (no
 * dependencies, no simulated sleep) are built one at a time:
 * - directly: `spk build <recipe> [-o version=V]` then `spk export` (what the executor runs
 *   for a task without dependency archives), one after the other;
 * - through Nx: `nx run-many -t spk-build -p <those K> --parallel=1 --skip-nx-cache`, minus the
 *   wall time of `nx show projects` (Nx start-up + graph), divided by K.
 */
const fs = require('node:fs');
const path = require('node:path');
const { generateDagWorkspace } = require('./lib/generate');
const { makeWorkspace, nxEnv, nxBin, helpers } = require('./lib/workspace');
const { timed } = require('./lib/measure');

async function runOverhead({ tasks = 8, repeats, seed, log }) {
  const root = await makeWorkspace('overhead');
  const gen = generateDagWorkspace(root, { nodes: tasks, seed, minMs: 0, maxMs: 0, independent: true });
  const roots = gen.nodes;
  if (roots.length < 2) throw new Error('overhead: too few independent recipes');
  const projects = roots.map((n) => `${n.name}@${n.version}`);
  const out = { tasks: roots.length, direct: [], nx: [], graph: [], perTaskNx: [], perTaskDirect: [] };
  for (let i = 0; i < repeats; i++) {
    log(`overhead: repeat ${i + 1}/${repeats}`);
    // direct
    let dir = path.join(root, '.machines', `direct-${i}`);
    fs.rmSync(dir, { recursive: true, force: true });
    let env = { ...nxEnv(), ...helpers().spkDoubleEnv(dir) };
    const exportDir = path.join(dir, 'out');
    fs.mkdirSync(exportDir, { recursive: true });
    let t = 0;
    for (const n of roots) {
      const b = timed(['spk', 'build', ...(n.templated ? ['-o', `version=${n.version}`] : []), n.recipe], { cwd: root, env });
      const e = timed(['spk', 'export', `${n.name}/${n.version}`, path.join(exportDir, `${n.name}.spk`)], { cwd: root, env });
      t += b.wallMs + e.wallMs;
    }
    out.direct.push(t);
    // nx graph only
    const g = timed([process.execPath, nxBin(root), 'show', 'projects', '--json'], { cwd: root, env: nxEnv() });
    out.graph.push(g.wallMs);
    // nx
    dir = path.join(root, '.machines', `nx-${i}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
    env = nxEnv(helpers().spkDoubleEnv(dir));
    const r = timed(
      [process.execPath, nxBin(root), 'run-many', '-t', 'spk-build', '-p', projects.join(','), '--parallel=1', '--skip-nx-cache', '--output-style=static'],
      { cwd: root, env },
    );
    out.nx.push(r.wallMs);
    out.perTaskNx.push((r.wallMs - g.wallMs) / roots.length);
    out.perTaskDirect.push(t / roots.length);
  }
  return out;
}

module.exports = { runOverhead };
