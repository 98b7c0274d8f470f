/**
 * v0/package recipes: sources, embedded packages and every requirement of one rendered recipe
 * (crates/spk-schema/src/v0/recipe.rs, package.rs).
 */
import * as path from 'node:path';
import { SpkError, type KeyPath } from '../errors';
import { DEFAULT_COMPAT } from '../compat';
import { toPosix } from '../posix';
import { requestList } from './requirements';
import { type RecipeVersion, type Requirement } from './types';
import { asList, asRecord, str } from './values';
import { buildRequirements } from './variants';

function extractSources(rec: Record<string, unknown>, recipeAbsDir: string, root: string): RecipeVersion['sources'] {
  const out: RecipeVersion['sources'] = { paths: [], excludes: [], remote: [] };
  const rel = (p: string) => toPosix(path.relative(root, path.resolve(recipeAbsDir, p))) || '.';
  const list = rec.sources === undefined || rec.sources === null ? [{ path: '.' }] : asList(rec.sources, ['sources']);
  list.forEach((s, i) => {
    const m = asRecord(s);
    if (!m) return;
    if (m.path !== undefined) {
      out.paths.push(rel(str(m.path)));
      // spk LocalSource default exclude is [".git/", ".svn/"] when none is given.
      const ex = m.exclude === undefined ? ['.git/', '.svn/'] : asList(m.exclude, ['sources', i, 'exclude'], 'sources[].exclude').map(str);
      out.excludes.push(...ex);
    } else if (m.git !== undefined) {
      out.remote.push(m.ref !== undefined ? `${str(m.git)}@${str(m.ref)}` : str(m.git));
    } else if (m.tar !== undefined) {
      const t = str(m.tar);
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) out.remote.push(t);
      else out.paths.push(rel(t));
    }
  });
  out.excludes = [...new Set(out.excludes)];
  return out;
}

function embeddedProvides(list: unknown, at: KeyPath, where?: string): Array<{ name: string; version?: string }> {
  const out: Array<{ name: string; version?: string }> = [];
  for (const e of asList(list, at, where)) {
    const pkg = str(asRecord(e)?.pkg);
    if (pkg === '') continue;
    const slash = pkg.indexOf('/');
    const name = slash < 0 ? pkg : pkg.slice(0, slash);
    out.push(slash < 0 ? { name } : { name, version: pkg.slice(slash + 1) });
  }
  return out;
}

export function extractPackage(
  rec: Record<string, unknown>,
  name: string,
  cliOptions: Record<string, string>,
  hostOptions: Record<string, string> | false,
  base: Omit<RecipeVersion, 'requirements' | 'provides' | 'sources' | 'tests' | 'variants' | 'compat'>,
  recipeAbsDir: string,
  root: string,
): RecipeVersion {
  const warnings = base.warnings;
  const { requirements: buildReqs, variants } = buildRequirements(rec, name, cliOptions, hostOptions, warnings);
  const requirements: Requirement[] = [...buildReqs];
  const install = asRecord(rec.install) ?? {};
  requirements.push(...requestList(install.requirements, ['install', 'requirements'], 'runtime'));
  const provides = embeddedProvides(install.embedded, ['install', 'embedded']);
  asList(install.components, ['install', 'components']).forEach((c, i) => {
    const m = asRecord(c) ?? {};
    const cname = str(m.name) || String(i);
    requirements.push(...requestList(m.requirements, ['install', 'components', i, 'requirements'], 'runtime', {}, `install.components[${cname}].requirements`));
    provides.push(...embeddedProvides(m.embedded, ['install', 'components', i, 'embedded'], `install.components[${cname}].embedded`));
  });
  const tests: RecipeVersion['tests'] = [];
  asList(rec.tests, ['tests']).forEach((t, i) => {
    const m = asRecord(t) ?? {};
    const stage = str(m.stage);
    if (stage !== 'sources' && stage !== 'build' && stage !== 'install') {
      throw new SpkError('recipe', `tests[${i}]: invalid stage '${stage}' (expected sources, build or install)`, { path: ['tests', i] });
    }
    tests.push({ index: i, stage });
    requirements.push(...requestList(m.requirements, ['tests', i, 'requirements'], 'test', { stage }, `tests[${i}]`));
  });
  return {
    ...base,
    compat: rec.compat === undefined || rec.compat === null ? DEFAULT_COMPAT.toString() : str(rec.compat),
    requirements,
    provides,
    sources: extractSources(rec, recipeAbsDir, root),
    tests,
    variants,
  };
}
