'use strict';
/**
 * CPU profile of the plugin's own work: runs bench/lib/inproc.js under `node --cpu-prof` and
 * sums self time by where the code lives (yaml parser, template engine, our spk model, our
 * resolver, our plugin layer, GC, Node/module loading), plus the top functions.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { timed } = require('./measure');

function category(url) {
  if (/node_modules\/(yaml|js-yaml)\//.test(url)) return 'yaml parsers (node_modules/yaml, js-yaml)';
  if (/\/src\/spk\/template(\.js|\/)/.test(url)) return 'ours: template engine (src/spk/template: Tera)';
  if (/\/src\/spk\//.test(url)) return 'ours: spk model (src/spk: recipe/request/version)';
  if (/\/src\/graph\//.test(url)) return 'ours: resolver (src/graph)';
  if (/\/src\/plugin\//.test(url)) return 'ours: plugin layer (src/plugin)';
  if (/node_modules\/(nx|@nx)\//.test(url)) return '@nx/devkit + nx (loading)';
  if (url === '' ) return 'GC / native / idle';
  if (url.startsWith('node:')) return 'Node internals (module loading, fs)';
  return 'other';
}

function summarize(file, topN = 12) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const cats = new Map();
  const fns = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const cf = byId.get(id).callFrame;
    total += us;
    const c = category(cf.url);
    cats.set(c, (cats.get(c) ?? 0) + us);
    const short = cf.url.replace(/^.*\/(node_modules|dist)\//, '$1/').replace(/^file:\/\//, '');
    const k = `${cf.functionName || '(anonymous)'} — ${short || '(native)'}:${cf.lineNumber + 1}`;
    fns.set(k, (fns.get(k) ?? 0) + us);
  }
  const sort = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ name: k, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, categories: sort(cats), top: sort(fns).slice(0, topN) };
}

function profileInproc(workspace, mode = 'cold') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-bench-prof-'));
  timed([process.execPath, '--cpu-prof', `--cpu-prof-dir=${dir}`, path.join(__dirname, 'inproc.js'), workspace, mode], {});
  const f = fs.readdirSync(dir).find((x) => x.endsWith('.cpuprofile'));
  const s = summarize(path.join(dir, f));
  fs.rmSync(dir, { recursive: true, force: true });
  return s;
}

module.exports = { profileInproc, summarize };
