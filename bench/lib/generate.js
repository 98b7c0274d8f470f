'use strict';
/**
 * Synthetic spk workspaces for the benchmarks, deterministic from a seed.
 *
 * - `generateSpkWorkspace`: a studio-like workspace of templated recipes
 *   (`default_opts(version=…)`), brace-expanded `versions` in workspace.spk.yaml,
 *   5–20 requirements per recipe with the range forms real recipes use (`~`, `^`, plain,
 *   `>=`, comma AND, `Binary:`), variants over a dependency, some external packages and a
 *   few v1/platform recipes. Packages only depend on earlier packages (a layered stack, like
 *   a real studio's), so there are no cycles; ranges are drawn from the target's real
 *   versions, so most requests resolve inside the workspace.
 * - `generatePackageJsonWorkspace`: the same number of plain package.json projects (npm
 *   workspaces) with the same dependency fan-out: what any Nx workspace of that size pays.
 * - `generateDagWorkspace`: a buildable DAG for the schedule benchmark: one version per
 *   package, every build requirement inside the workspace, a simulated build duration per
 *   package, and the equivalent Makefile.
 */
const fs = require('node:fs');
const path = require('node:path');

/** mulberry32: small, fast, good enough for test data. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

const WORDS = [
  'zlib', 'openssl', 'python', 'boost', 'tbb', 'openexr', 'imath', 'oiio', 'ocio', 'usd', 'alembic',
  'ptex', 'osl', 'embree', 'openvdb', 'qt', 'pyside', 'numpy', 'cmake', 'ninja', 'libpng', 'libtiff',
  'libjpeg', 'ffmpeg', 'hdf5', 'blosc', 'glew', 'glfw', 'eigen', 'fmt', 'spdlog', 'yaml-cpp', 'pybind11',
  'materialx', 'opensubdiv', 'draco', 'libwebp', 'freetype', 'harfbuzz', 'icu', 'sqlite', 'curl', 'xerces',
];

function writeFile(root, rel, text) {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

/** Versions of one package and the workspace.spk.yaml `versions` entries that produce them. */
function versionPlan(r, count) {
  const major = r.int(1, 4);
  if (count === 1) return { versions: [`${major}.${r.int(0, 9)}.${r.int(0, 5)}`], entries: null };
  if (count <= 3) {
    const minor = r.int(0, 9);
    const versions = Array.from({ length: count }, (_, i) => `${major}.${minor}.${i}`);
    return { versions, entries: versions.map((v) => `'${v}'`) };
  }
  if (count <= 10) {
    const minor = r.int(0, 20);
    return {
      versions: Array.from({ length: count }, (_, i) => `${major}.${minor}.${i}`),
      entries: [`'${major}.${minor}.{0..${count - 1}}'`],
    };
  }
  // Several minors of ten patches each (the python3 idiom: '3.7.{0..17}', '3.9.{0..18}', …),
  // plus a remainder line.
  const versions = [];
  const entries = [];
  const minors = Math.floor(count / 10);
  versions.push(...Array.from({ length: minors * 10 }, (_, i) => `${major}.${Math.floor(i / 10)}.${i % 10}`));
  entries.push(`'${major}.{0..${minors - 1}}.{0..9}'`);
  const rest = count - minors * 10;
  if (rest > 0) {
    versions.push(...Array.from({ length: rest }, (_, i) => `${major + 1}.0.${i}`));
    entries.push(`'${major + 1}.0.{0..${rest - 1}}'`);
  }
  return { versions, entries };
}

/** A range that a chosen version of the target satisfies, in one of the forms real recipes use. */
function rangeFor(r, version) {
  const [a, b] = version.split('.');
  const k = r.next();
  if (k < 0.25) return `~${a}.${b}.0`;
  if (k < 0.5) return `^${a}.${b}`;
  if (k < 0.7) return `${a}.${b}`;
  if (k < 0.85) return `>=${a}.${b}`;
  if (k < 0.95) return `>=${a}.${b},<${Number(a) + 1}`;
  return `Binary:${a}.${b}.0`;
}

/**
 * Plans the packages of a workspace with (about) `recipeVersions` recipe-versions.
 * Returns [{name, versions, entries, platform, deps: [{name, external}]}] in layer order.
 */
function planPackages(recipeVersions, seed) {
  const r = rng(seed);
  // Mean ≈ 8 versions per recipe: most recipes have a handful, a few have dozens.
  const counts = [1, 1, 1, 2, 3, 3, 5, 6, 8, 10, 12, 20, 30, 40];
  const pkgs = [];
  let total = 0;
  while (total < recipeVersions) {
    const i = pkgs.length;
    const name = `${WORDS[i % WORDS.length]}-${i}`;
    const platform = i > 30 && r.chance(0.02);
    let count = platform ? 1 : r.pick(counts);
    count = Math.min(count, recipeVersions - total);
    const plan = versionPlan(r, count);
    pkgs.push({ name, platform, ...plan });
    total += count;
  }
  return { pkgs, total, r };
}

function pickDeps(r, pkgs, i, n) {
  const deps = [];
  const used = new Set();
  for (let tries = 0; deps.length < n && tries < n * 4; tries++) {
    if (r.chance(0.08)) {
      const ext = `ext-${r.pick(WORDS)}`;
      if (!used.has(ext)) {
        used.add(ext);
        deps.push({ name: ext, version: `${r.int(1, 9)}.${r.int(0, 9)}.0`, external: true });
      }
      continue;
    }
    if (i === 0) continue;
    // A studio stack: a few core packages everything uses, the rest anywhere below.
    const j = r.chance(0.35) ? r.int(0, Math.min(i, 20) - 1) : r.int(0, i - 1);
    const t = pkgs[j];
    if (t.platform || used.has(t.name)) continue;
    used.add(t.name);
    deps.push({ name: t.name, version: r.pick(t.versions), external: false });
  }
  return deps;
}

function packageRecipe(r, pkg, deps) {
  const nBuild = Math.ceil(deps.length * 0.6);
  const build = deps.slice(0, nBuild);
  const install = deps.slice(nBuild);
  const lines = [];
  const def = pkg.versions[pkg.versions.length - 1];
  lines.push(`# {% set opt = opt | default_opts(version="${def}") %}`);
  lines.push(`# {% set mm = opt.version | replace_regex(from="^(\\d+)\\.(\\d+).*", to="$1.$2") %}`);
  lines.push(`# Synthetic recipe ${pkg.name}: one template for every version in workspace.spk.yaml.`);
  lines.push(`pkg: ${pkg.name}/{{ opt.version }}`);
  lines.push('api: v0/package');
  if (r.chance(0.3)) lines.push(`compat: ${r.pick(['x.a.b', 'x.x.a.b', 'x.ab'])}`);
  lines.push('', 'sources:', '  - path: ./', '', 'build:', '  options:', '    - var: arch', '    - var: os');
  for (const d of build) lines.push(`    - pkg: ${d.name}/${rangeFor(r, d.version)}`);
  if (r.chance(0.3)) lines.push('    - var: debug', '      default: "off"', '      choices: ["on", "off"]');
  const variantDep = build.find((d) => !d.external);
  if (variantDep && r.chance(0.2)) {
    lines.push('  variants:');
    lines.push(`    - { ${variantDep.name}: "${rangeFor(r, variantDep.version)}" }`);
    lines.push(`    - { ${variantDep.name}: "${rangeFor(r, variantDep.version)}" }`);
  }
  lines.push('  script:');
  lines.push('    - cmake -S . -B build -DCMAKE_INSTALL_PREFIX=$PREFIX -DVERSION={{ opt.version }}');
  lines.push('    - cmake --build build --target install');
  lines.push(`    - ln -sfn {{ mm }} $PREFIX/share/${pkg.name}-current`);
  lines.push('', 'install:');
  if (r.chance(0.4)) lines.push('  environment:', `    - prepend: PATH`, `      value: /spfs/opt/${pkg.name}/{{ opt.version }}/bin`);
  const reqs = [];
  for (const d of build.slice(0, 2)) reqs.push(`    - pkg: ${d.name}`, '      fromBuildEnv: x.x');
  for (const d of install) reqs.push(`    - pkg: ${d.name}/${rangeFor(r, d.version)}`);
  if (reqs.length === 0) lines.push('  requirements: []');
  else lines.push('  requirements:', ...reqs);
  return `${lines.join('\n')}\n`;
}

function platformRecipe(r, pkg, deps) {
  const lines = [`# Synthetic platform ${pkg.name}.`, 'api: v1/platform', `platform: ${pkg.name}/${pkg.versions[0]}`, 'requirements:'];
  for (const d of deps.filter((x) => !x.external)) {
    const [a, b] = d.version.split('.');
    lines.push(`  - pkg: ${d.name}`, `    atBuild: "~${a}.${b}.0"`, `    atRuntime: "~${a}.${b}"`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes a synthetic spk workspace with about `recipeVersions` recipe-versions under `root`.
 * Returns { files: number of recipe files, recipeVersions, edges: number of requirements, deps }.
 */
function generateSpkWorkspace(root, { recipeVersions, seed = 1 }) {
  const { pkgs, total, r } = planPackages(recipeVersions, seed);
  const ws = ['# Synthetic studio for nx-spk benchmarks (bench/lib/generate.js).', 'api: v0/workspace', '', 'recipes:', '  - packages/**/*.spk.yaml'];
  const depsByPkg = [];
  let requirements = 0;
  pkgs.forEach((pkg, i) => {
    const deps = pickDeps(r, pkgs, i, r.int(5, 20));
    depsByPkg.push(deps);
    requirements += deps.length;
    const rel = `packages/${pkg.name}/${pkg.name}.spk.yaml`;
    writeFile(root, rel, pkg.platform ? platformRecipe(r, pkg, deps) : packageRecipe(r, pkg, deps));
    if (pkg.entries) {
      ws.push(`  - path: ${rel}`, '    versions:');
      for (const e of pkg.entries) ws.push(`      - ${e}`);
    }
  });
  writeFile(root, 'workspace.spk.yaml', `${ws.join('\n')}\n`);
  return { files: pkgs.length, recipeVersions: total, requirements, pkgs, depsByPkg };
}

/**
 * `count` package.json projects (npm workspaces) whose dependencies mirror a synthetic spk
 * workspace's: project k depends on earlier projects, same fan-out distribution.
 */
function generatePackageJsonWorkspace(root, { projects, seed = 1 }) {
  const r = rng(seed + 7);
  for (let i = 0; i < projects; i++) {
    const deps = {};
    const n = i === 0 ? 0 : r.int(3, 12);
    for (let k = 0; k < n; k++) {
      const j = r.chance(0.35) ? r.int(0, Math.min(i, 20) - 1) : r.int(0, i - 1);
      deps[`@bench/p${j}`] = '*';
    }
    writeFile(
      root,
      `packages/p${i}/package.json`,
      `${JSON.stringify({ name: `@bench/p${i}`, version: '1.0.0', dependencies: deps, scripts: { build: 'echo build' } }, null, 2)}\n`,
    );
  }
  return { projects };
}

/**
 * A buildable DAG of `nodes` packages with simulated durations in [minMs, maxMs].
 * Returns { nodes: [{name, version, recipe, deps: [names], ms}], makefile, sleepEnv }.
 */
function generateDagWorkspace(root, { nodes, seed = 1, minMs = 50, maxMs = 400, width = 0.15, independent = false }) {
  const r = rng(seed + 13);
  const out = [];
  const ws = ['api: v0/workspace', 'recipes:', '  - packages/**/*.spk.yaml'];
  for (let i = 0; i < nodes; i++) {
    const name = `n${String(i).padStart(3, '0')}`;
    const version = `1.${i % 7}.0`;
    // Each node depends on 0–4 nodes among the previous `width` fraction (keeps the DAG deep
    // enough for the critical path to matter, and wide enough for parallelism).
    const deps = new Set();
    if (i > 0 && !independent) {
      const lo = Math.max(0, i - Math.max(4, Math.floor(nodes * width)));
      const n = r.int(i < 5 ? 0 : 1, 4);
      for (let k = 0; k < n; k++) deps.add(out[r.int(lo, i - 1)].name);
    }
    const ms = r.int(minMs, maxMs);
    const templated = i % 3 === 0;
    const rel = `packages/${name}/${name}.spk.yaml`;
    const depList = [...deps].sort();
    const lines = [];
    if (templated) lines.push(`# {% set opt = opt | default_opts(version="${version}") %}`);
    lines.push(`pkg: ${name}/${templated ? '{{ opt.version }}' : version}`, 'api: v0/package', 'build:', '  options:', '    - var: arch');
    for (const d of depList) {
      const dv = out.find((o) => o.name === d).version;
      lines.push(`    - pkg: ${d}/${r.pick([`~${dv}`, `>=${dv.split('.').slice(0, 2).join('.')}`, dv])}`);
    }
    lines.push('  script:', '    - echo build', 'install:', '  requirements:');
    for (const d of depList) lines.push(`    - pkg: ${d}`, '      fromBuildEnv: x.x');
    if (depList.length === 0) lines.push('    []');
    writeFile(root, rel, `${lines.join('\n').replace('requirements:\n    []', 'requirements: []')}\n`);
    out.push({ name, version, recipe: rel, deps: depList, ms, templated });
  }
  writeFile(root, 'workspace.spk.yaml', `${ws.join('\n')}\n`);
  return { nodes: out };
}

/** `name=ms,…` for SPK_DOUBLE_SLEEP. */
function sleepEnv(nodes) {
  return nodes.map((n) => `${n.name}=${n.ms}`).join(',');
}

/**
 * The Makefile a studio would hand-write for the same DAG: one stamp target per package,
 * prerequisites = its dependencies, recipe = `spk build <recipe>` (templated recipes get
 * `-o version=V`, as the executor does).
 */
function makefileFor(nodes, spk) {
  const lines = ['# Generated by bench/lib/generate.js', '.PHONY: all', `all: ${nodes.map((n) => `.stamp/${n.name}`).join(' ')}`, ''];
  for (const n of nodes) {
    lines.push(`.stamp/${n.name}: ${n.deps.map((d) => `.stamp/${d}`).join(' ')}`);
    const opt = n.templated ? ` -o version=${n.version}` : '';
    lines.push(`\t${spk} build ${n.recipe}${opt} >/dev/null && mkdir -p .stamp && touch $@`, '');
  }
  return `${lines.join('\n')}\n`;
}

/** Lower bound of the makespan on `n` workers: max(critical path, total work / n). */
function lowerBound(nodes, n, durationOf = (x) => x.ms) {
  const finish = new Map();
  let critical = 0;
  let total = 0;
  for (const x of nodes) {
    // nodes are in topological order (deps are earlier)
    const start = Math.max(0, ...x.deps.map((d) => finish.get(d)));
    const f = start + durationOf(x);
    finish.set(x.name, f);
    critical = Math.max(critical, f);
    total += durationOf(x);
  }
  return { critical, total, bound: Math.max(critical, total / n) };
}

module.exports = { rng, generateSpkWorkspace, generatePackageJsonWorkspace, generateDagWorkspace, sleepEnv, makefileFor, lowerBound, writeFile };
