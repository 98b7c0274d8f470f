/**
 * Seeds for the fuzzers: every string of the spk behaviour vectors, the recipes and workspace
 * files of the fixture studio and examples/studio (plus any real spk trees named by
 * NX_SPK_CONFORMANCE_DIR, e.g. for a long `npm run fuzz`), and the request texts in those recipes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conformanceDirs, fixtureStudio, repoRoot, vectorsFile } from '../testing/repo-root';

export interface Seeds {
  /** Short strings (versions, ranges, requests, names, compat, globs, option values). */
  strings: string[];
  /** Recipe file texts. */
  recipes: Array<{ file: string; text: string }>;
  /** workspace.spk.yaml texts. */
  workspaces: string[];
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (e.isFile() && p.endsWith('.yaml')) out.push(p);
  }
  return out.sort();
}

function stringLeaves(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') {
    if (v.length <= 200) out.add(v);
  } else if (Array.isArray(v)) for (const x of v) stringLeaves(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) stringLeaves(x, out);
}

let cached: Seeds | undefined;

export function loadSeeds(): Seeds {
  if (cached) return cached;
  const strings = new Set<string>(['', '1', '1.0.0', 'python/3.7', '>=1,<2', 'x.a.b', 'zlib:{run,build}/~1.2', '**/*.spk.yaml']);
  try {
    const vectors = JSON.parse(fs.readFileSync(vectorsFile(), 'utf8')) as { vectors: unknown[] };
    for (const v of vectors.vectors) {
      const { id: _id, source: _source, kind: _kind, ...rest } = v as Record<string, unknown>;
      stringLeaves(rest, strings);
    }
  } catch {
    // vectors missing: the built-in seeds still exercise every parser
  }
  const recipes: Seeds['recipes'] = [];
  const workspaces: string[] = [];
  // the repository's own recipes always; real spk trees too when the conformance variable names them
  const roots = [fixtureStudio(), path.join(repoRoot(), 'examples', 'studio'), ...conformanceDirs()];
  for (const root of roots) {
    for (const f of yamlFiles(root)) {
      const text = fs.readFileSync(f, 'utf8');
      if (path.basename(f) === 'workspace.spk.yaml') workspaces.push(text);
      else if (f.endsWith('.spk.yaml') || f.endsWith('.yaml')) recipes.push({ file: path.relative(root, f).split(path.sep).join('/'), text });
      for (const m of text.matchAll(/^\s*-?\s*(?:pkg|var|base|compat|default|static|path|platform):\s*["']?([^"'\n#]+)/gm)) {
        strings.add(m[1].trim());
      }
      for (const m of text.matchAll(/^\s*-\s*["']?([^"'\n#:]+)["']?\s*$/gm)) strings.add(m[1].trim());
    }
  }
  cached = { strings: [...strings].sort(), recipes, workspaces };
  return cached;
}
