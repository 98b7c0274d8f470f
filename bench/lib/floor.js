'use strict';
/**
 * The floor: a plain script that finds the recipe files, reads them and YAML-parses them
 * (the `yaml` package the plugin uses), nothing else.
 *   node bench/lib/floor.js <workspace> files     — each recipe file once
 *   node bench/lib/floor.js <workspace> versions  — each recipe file once per recipe-version it
 *     produces (spk renders and parses a templated recipe once per version, so this is the
 *     parse work any spk-faithful reader must do; rendering itself is not included)
 * Prints { files, parses, ms }.
 */
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const t0 = performance.now();
const YAML = require(require.resolve('yaml', { paths: [path.join(__dirname, '..', '..')] }));
const [ws, mode = 'files'] = process.argv.slice(2);

function walk(rel, out) {
  for (const e of fs.readdirSync(path.join(ws, rel), { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.nx' || e.name === '.git') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(r, out);
    else if (e.name.endsWith('.spk.yaml')) out.push(r);
  }
  return out;
}

const files = walk('', []);
let parses = 0;
// How many versions each file produces, from the workspace file (no brace expansion library:
// count `{a..b}` groups by hand).
const counts = new Map();
if (mode === 'versions') {
  const wsDoc = YAML.parse(fs.readFileSync(path.join(ws, 'workspace.spk.yaml'), 'utf8'));
  parses++;
  for (const e of wsDoc.recipes) {
    if (typeof e === 'string') continue;
    let n = 0;
    for (const v of e.versions ?? []) {
      let k = 1;
      for (const m of String(v).matchAll(/\{(\d+)\.\.(\d+)\}/g)) k *= Number(m[2]) - Number(m[1]) + 1;
      n += k;
    }
    counts.set(e.path, n);
  }
}
for (const f of files) {
  const text = fs.readFileSync(path.join(ws, f), 'utf8');
  const n = mode === 'versions' ? counts.get(f) ?? 1 : 1;
  for (let i = 0; i < n; i++) {
    YAML.parse(text);
    parses++;
  }
}
process.stdout.write(`${JSON.stringify({ files: files.length, parses, ms: performance.now() - t0 })}\n`);
