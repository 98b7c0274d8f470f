/**
 * One fuzz target per parser of the reading layer. Each `check` runs the parser on one input
 * and returns `'ok'` (a valid result that passed the target's invariants) or `'rejected'` (a
 * SpkError, or for never-throwing loaders a list of problems). Anything else — another error
 * class, a broken invariant, a loader that throws, a problem that is really an internal
 * error — throws `FuzzFailure`. Time limits are enforced by the runner.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpkError } from '../../src/spk/errors';
import { parseVersion, Version } from '../../src/spk/version';
import { parseVersionFilter, parseVersionRange, MAX_RULES } from '../../src/spk/range';
import { parseCompat } from '../../src/spk/compat';
import { isValidOptName, isValidPkgName, validateOptName, validatePkgName } from '../../src/spk/name';
import { parseRangeIdent, parseRequest } from '../../src/spk/request';
import { parseBuildOption } from '../../src/spk/option';
import { renderTemplate } from '../../src/spk/template';
import { compileGlob, expandGlob } from '../../src/spk/glob';
import { expandVersionEntry, MAX_VERSIONS_PER_ENTRY, parseWorkspaceFile } from '../../src/spk/workspace';
import { isDeepStrictEqual } from 'node:util';
import { loadRecipeText, readRecipeName } from '../../src/spk/recipe';
import { parseRawYaml, parseRenderedYaml, parseYaml } from '../../src/spk/recipe-yaml';
import { BOMBS, mutate, mutateLine, randomString, substituteIntoLines, TOKENS } from './mutate';
import type { Random } from './random';
import type { Seeds } from './corpus';

export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
}

export type Outcome = 'ok' | 'rejected';

export interface FuzzTarget {
  name: string;
  /** Relative cost: the runner gives cheap targets more iterations. */
  weight: number;
  generate(rng: Random, seeds: Seeds): string;
  check(input: string): Outcome;
}

/**
 * Messages of JavaScript engine errors. A loader that never throws turns every error into a
 * problem, so an internal bug would otherwise hide there as an ordinary-looking message.
 */
const INTERNAL = /Cannot read propert|is not a function|is not iterable|Maximum call stack|Invalid array length|Invalid string length|is not defined|Cannot convert|unreachable|RuntimeError|out of memory|\[object Object\]/;

function expectSpkError(e: unknown, what: string): Outcome {
  if (e instanceof SpkError) {
    if (INTERNAL.test(e.message)) throw new FuzzFailure(`${what}: SpkError wraps an internal error: ${e.message}`);
    if (e.message.trim() === '') throw new FuzzFailure(`${what}: SpkError with an empty message`);
    return 'rejected';
  }
  throw new FuzzFailure(`${what}: threw ${(e as Error)?.constructor?.name ?? typeof e}, not SpkError: ${String((e as Error)?.message ?? e).slice(0, 300)}`);
}

function invariant(ok: boolean, message: string): void {
  if (!ok) throw new FuzzFailure(message);
}

function stringTarget(name: string, alphabet: readonly string[], bombs: readonly string[], weight: number, run: (s: string) => void): FuzzTarget {
  return {
    name,
    weight,
    generate(rng, seeds) {
      if (rng.chance(0.2)) return randomString(rng, alphabet);
      return mutate(rng, rng.pick(seeds.strings), alphabet, seeds.strings, bombs);
    },
    check(input) {
      try {
        run(input);
        return 'ok';
      } catch (e) {
        if (e instanceof FuzzFailure) throw e;
        return expectSpkError(e, name);
      }
    },
  };
}

/** A scratch tree for glob expansion: recipes, hidden dirs, and two symlink loops. */
let globRoot: string | undefined;
function globTree(): string {
  if (globRoot) return globRoot;
  globRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-fuzz-glob-'));
  for (const f of ['a.spk.yaml', 'packages/x/x.spk.yaml', 'packages/y/deep/y.spk.yaml', '.hidden/h.spk.yaml', '{a,b}/c.spk.yaml']) {
    fs.mkdirSync(path.dirname(path.join(globRoot, f)), { recursive: true });
    fs.writeFileSync(path.join(globRoot, f), 'pkg: xx/1\n');
  }
  fs.symlinkSync('..', path.join(globRoot, 'packages/x/up'));
  fs.symlinkSync('../../..', path.join(globRoot, 'packages/y/deep/top'));
  const root = globRoot;
  process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  return globRoot;
}

const RECIPE_OPTS = { workspaceRoot: '/nonexistent-fuzz-ws', hostOptions: { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' }, env: { HOME: '/home/fuzz' } };

export const TARGETS: FuzzTarget[] = [
  stringTarget('version', TOKENS.version, BOMBS.huge, 10, (s) => {
    const v = parseVersion(s);
    invariant(v instanceof Version, 'parseVersion returned a non-Version');
    invariant(parseVersion(v.toString()).equals(v), `version ${JSON.stringify(s)} does not round-trip through ${v.toString()}`);
  }),
  stringTarget('range', TOKENS.range, BOMBS.huge, 10, (s) => {
    const r = parseVersionRange(s);
    const again = parseVersionRange(r.toString());
    invariant(again.toString() === r.toString(), `range ${JSON.stringify(s)} displays as ${r.toString()} which re-parses as ${again.toString()}`);
  }),
  stringTarget('filter', TOKENS.range, BOMBS.huge, 10, (s) => {
    parseVersionFilter(s);
  }),
  stringTarget('compat', ['x', 'a', 'b', '.', '+', 'X', 'ab', 'ba'], BOMBS.huge, 10, (s) => {
    const c = parseCompat(s);
    invariant(parseCompat(c.toString()).toString() === c.toString(), `compat ${JSON.stringify(s)} does not round-trip`);
  }),
  stringTarget('name', [...'abcz09-_.'], BOMBS.huge, 10, (s) => {
    const valid = isValidPkgName(s);
    let threw = false;
    try {
      validatePkgName(s);
    } catch (e) {
      threw = true;
      expectSpkError(e, 'validatePkgName');
    }
    invariant(valid === !threw, `isValidPkgName(${JSON.stringify(s)}) = ${valid} disagrees with validatePkgName`);
    invariant(!valid || !s.startsWith('-'), `package name ${JSON.stringify(s)} starting with '-' accepted`);
    const optValid = isValidOptName(s);
    try {
      validateOptName(s);
      invariant(optValid, `validateOptName accepts ${JSON.stringify(s)} but isValidOptName does not`);
    } catch (e) {
      if (e instanceof FuzzFailure) throw e;
      invariant(!optValid, `isValidOptName accepts ${JSON.stringify(s)} but validateOptName throws`);
      expectSpkError(e, 'validateOptName');
    }
    if (!valid) throw new SpkError('name', 'rejected');
  }),
  stringTarget('request', TOKENS.request.concat(TOKENS.range), BOMBS.braces, 8, (s) => {
    const r = parseRequest(s);
    if (r.kind !== 'pkg') throw new FuzzFailure(`request string ${JSON.stringify(s)} parsed to a var request`);
    invariant(isValidPkgName(r.pkg.name), `request ${JSON.stringify(s)} parsed to an invalid package name`);
    const ident = parseRangeIdent(s);
    invariant(ident.name === r.pkg.name, 'parseRangeIdent and parseRequest disagree');
  }),
  stringTarget('versions-entry', TOKENS.version.concat(['{', '}', '..', ',']), BOMBS.braces, 4, (s) => {
    const vs = expandVersionEntry(s, 0);
    invariant(vs.length <= MAX_VERSIONS_PER_ENTRY, `expansion of ${JSON.stringify(s.slice(0, 80))} produced ${vs.length} versions`);
  }),
  stringTarget('glob', TOKENS.glob, [], 2, (s) => {
    compileGlob(s);
    // Absolute patterns would walk the real filesystem; relative ones walk the scratch tree.
    if (!s.startsWith('/')) expandGlob(s, globTree(), []);
  }),
  {
    name: 'request-object',
    weight: 6,
    generate(rng, seeds) {
      const keys = ['pkg', 'var', 'include', 'prereleasePolicy', 'fromBuildEnv', 'value', 'description', 'PKG', 'pin'];
      const obj: Record<string, unknown> = {};
      const n = 1 + rng.int(3);
      for (let i = 0; i < n; i++) {
        const k = rng.pick(keys);
        obj[k] = rng.pick([() => mutate(rng, rng.pick(seeds.strings), TOKENS.request, seeds.strings), () => rng.chance(0.5), () => rng.int(100), () => null, () => ['x'], () => ({ a: 1 })])();
      }
      return JSON.stringify(obj);
    },
    check(input) {
      try {
        const r = parseRequest(JSON.parse(input) as Record<string, unknown>);
        invariant(r.kind === 'pkg' || r.kind === 'var', 'request object parsed to an unknown kind');
        return 'ok';
      } catch (e) {
        if (e instanceof FuzzFailure) throw e;
        return expectSpkError(e, 'parseRequest(object)');
      }
    },
  },
  {
    name: 'build-option',
    weight: 6,
    generate(rng, seeds) {
      const keys = ['pkg', 'var', 'default', 'static', 'choices', 'inheritance', 'prereleasePolicy', 'description', 'required', 'Pkg', 'VAR'];
      const obj: Record<string, unknown> = {};
      const n = 1 + rng.int(4);
      for (let i = 0; i < n; i++) {
        obj[rng.pick(keys)] = rng.pick([
          () => mutate(rng, rng.pick(seeds.strings), TOKENS.request.concat(TOKENS.range), seeds.strings),
          () => [mutate(rng, 'a', [...'abc/-'], [])],
          () => rng.chance(0.5),
          () => rng.int(1000) / 10,
          () => null,
          () => ({ nested: [1] }),
        ])();
      }
      return JSON.stringify(obj);
    },
    check(input) {
      try {
        const o = parseBuildOption(JSON.parse(input) as Record<string, unknown>);
        invariant(o.kind === 'pkg' || o.kind === 'var', 'build option of unknown kind');
        return 'ok';
      } catch (e) {
        if (e instanceof FuzzFailure) throw e;
        return expectSpkError(e, 'parseBuildOption');
      }
    },
  },
  {
    name: 'template',
    weight: 1,
    generate(rng, seeds) {
      const seed = rng.chance(0.7) ? rng.pick(seeds.recipes).text : randomString(rng, TOKENS.template, 20);
      return mutate(rng, seed, TOKENS.template, seeds.strings, BOMBS.template);
    },
    check(input) {
      try {
        renderTemplate(input, { options: { version: '1.2.3', os: 'linux' }, env: { HOME: '/home/fuzz' }, file: 'fuzz.spk.yaml' });
        return 'ok';
      } catch (e) {
        return expectSpkError(e, 'renderTemplate');
      }
    },
  },
  {
    name: 'workspace-file',
    weight: 3,
    generate(rng, seeds) {
      const seed = rng.pick(seeds.workspaces);
      if (rng.chance(0.15)) return rng.pick([...BOMBS.yamlAlias, ...BOMBS.yamlDeep]).replace(/^x:/, 'recipes:').replace(/^a:/, 'recipes:');
      if (rng.chance(0.5)) return mutateLine(rng, seed, TOKENS.yaml.concat(TOKENS.version, ['{', '}', '..']), seeds.strings, BOMBS.braces);
      return mutate(rng, seed, TOKENS.yaml, seeds.strings, [...BOMBS.braces, ...BOMBS.yamlAlias]);
    },
    check(input) {
      let out;
      try {
        out = parseWorkspaceFile(input, 'workspace.spk.yaml');
      } catch (e) {
        throw new FuzzFailure(`parseWorkspaceFile threw (it must report problems instead): ${String((e as Error)?.message ?? e).slice(0, 300)}`);
      }
      for (const p of out.problems) {
        invariant(p.file === 'workspace.spk.yaml', 'workspace problem without the file name');
        invariant(p.message.trim() !== '' && !INTERNAL.test(p.message), `workspace problem is an internal error: ${p.message}`);
      }
      for (const item of out.items) invariant(item.versions.length <= 10 * MAX_VERSIONS_PER_ENTRY, 'unbounded versions list');
      return out.problems.some((p) => p.severity === 'error') ? 'rejected' : 'ok';
    },
  },
  {
    name: 'recipe',
    weight: 1,
    generate(rng, seeds) {
      const seed = rng.pick(seeds.recipes).text;
      const r = rng.next();
      if (r < 0.05) return rng.pick([...BOMBS.yamlAlias, ...BOMBS.yamlDeep]).replace(/^/, 'pkg: fuzz/1.0.0\n');
      if (r < 0.6) return mutateLine(rng, seed, TOKENS.yaml.concat(TOKENS.request, TOKENS.range), seeds.strings, [...BOMBS.template, ...BOMBS.braces]);
      return mutate(rng, seed, TOKENS.yaml.concat(TOKENS.template), seeds.strings, [...BOMBS.yamlAlias, ...BOMBS.template]);
    },
    check(input) {
      try {
        readRecipeName(input, 'fuzz.spk.yaml');
      } catch (e) {
        expectSpkError(e, 'readRecipeName');
        invariant((e as SpkError).file === 'fuzz.spk.yaml', `readRecipeName error does not name the file: ${(e as Error).message}`);
      }
      let out;
      try {
        out = loadRecipeText(input, 'fuzz.spk.yaml', [], RECIPE_OPTS);
      } catch (e) {
        throw new FuzzFailure(`loadRecipeText threw (it must report problems instead): ${String((e as Error)?.message ?? e).slice(0, 300)}`);
      }
      for (const p of out.problems) {
        invariant(p.file === 'fuzz.spk.yaml', 'recipe problem without the file name');
        invariant(p.message.trim() !== '' && !INTERNAL.test(p.message), `recipe problem is an internal error: ${p.message.slice(0, 300)}`);
      }
      for (const rv of out.recipeVersions) {
        invariant(isValidPkgName(rv.name) && !rv.name.startsWith('-'), `recipe-version with invalid name ${rv.name}`);
        invariant(/^[0-9]/.test(rv.version.toString()), `recipe-version with a version not starting with a digit: ${rv.version.toString()}`);
        for (const req of rv.requirements) invariant(typeof req.pkg === 'string' && req.pkg !== '', 'requirement without a package');
      }
      return out.problems.length > 0 ? 'rejected' : 'ok';
    },
  },
  {
    // The recipe YAML fast path (src/spk/recipe-yaml.ts): a raw recipe and a "rendered" text
    // with YAML tokens put into some of its lines, as a template could. Whatever the fast path
    // accepts must read exactly as the canonical `yaml` reading.
    name: 'recipe-yaml-fast-path',
    weight: 1,
    generate(rng, seeds) {
      const raw = rng.pick(seeds.recipes).text;
      return JSON.stringify({ raw, rendered: substituteIntoLines(rng, raw) ?? raw });
    },
    check(input) {
      const { raw, rendered } = JSON.parse(input) as { raw: string; rendered: string };
      let rawYaml;
      try {
        rawYaml = parseRawYaml(raw, 'fuzz.spk.yaml');
      } catch (e) {
        return expectSpkError(e, 'parseRawYaml');
      }
      let canonical: unknown;
      let canonicalError: unknown;
      try {
        canonical = parseYaml(rendered, 'fuzz.spk.yaml').data;
      } catch (e) {
        canonicalError = e;
      }
      try {
        const got = parseRenderedYaml(rendered, rawYaml, 'fuzz.spk.yaml');
        invariant(canonicalError === undefined, `the ${got.via} reading accepted what \`yaml\` refuses: ${String((canonicalError as Error)?.message).slice(0, 200)}`);
        invariant(isDeepStrictEqual(got.data, canonical), `the ${got.via} reading differs from \`yaml\``);
        return 'ok';
      } catch (e) {
        if (e instanceof FuzzFailure) throw e;
        return expectSpkError(e, 'parseRenderedYaml');
      }
    },
  },
];

/**
 * Known-shape inputs that must each end as a bounded outcome (used by the tests and the long
 * run). `mustReject`: a structural bomb that must be refused, not merely survived.
 */
export function bombInputs(): Array<{ target: string; input: string; label: string; mustReject: boolean }> {
  const out: Array<{ target: string; input: string; label: string; mustReject: boolean }> = [];
  // `{1..10..0}` (step 0 = step 1 in bash and braces) is a valid 10-version expansion.
  BOMBS.braces.forEach((b, i) => out.push({ target: 'versions-entry', input: b, label: `brace expansion ${i}`, mustReject: b !== '{1..10..0}' }));
  BOMBS.huge.forEach((b, i) => {
    for (const t of ['version', 'range', 'filter', 'compat', 'name', 'request']) out.push({ target: t, input: b, label: `huge input ${i}`, mustReject: false });
  });
  BOMBS.yamlAlias.forEach((b, i) => {
    out.push({ target: 'recipe', input: `pkg: fuzz/1.0.0\n${b}`, label: `YAML alias bomb ${i}`, mustReject: true });
    out.push({ target: 'workspace-file', input: b.replace(/^a:/, 'recipes:'), label: `YAML alias bomb ${i}`, mustReject: true });
  });
  BOMBS.yamlDeep.forEach((b, i) => {
    out.push({ target: 'recipe', input: `pkg: fuzz/1.0.0\n${b}`, label: `deep YAML ${i}`, mustReject: true });
    out.push({ target: 'workspace-file', input: b.replace(/^x:/, 'recipes:'), label: `deep YAML ${i}`, mustReject: i !== 2 });
  });
  BOMBS.template.forEach((b, i) => out.push({ target: 'template', input: b, label: `template bomb ${i}`, mustReject: true }));
  out.push({ target: 'range', input: Array.from({ length: MAX_RULES + 5 }, (_, i) => `>=${i}`).join(','), label: 'too many range rules', mustReject: true });
  return out;
}
