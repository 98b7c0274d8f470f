/**
 * What an edit of `workspace.spk.yaml` changes in the graph, for `nx-spk plan --affected`.
 *
 * Nx decides "touched" projects from file names alone (a changed file under a project root, or
 * matching a `{workspaceRoot}/…` input of one of its targets). A virtual project root owns no
 * file, and the workspace file is one file for every recipe, so Nx can only say "nothing" or
 * "everything" about an edit of it. The plugin's own graph can say exactly: it is computed at
 * the base and at the head of the change, and the projects the edit touches are those that are
 * new at the head and those whose resolved dependencies differ; their dependents follow.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fg from 'fast-glob';
import { normalizeOptions, type NxSpkPluginOptions } from '../plugin/options';
import type { CachedRecipeFile } from '../plugin/recipe-record';
import { withReportsMuted } from '../plugin/report';
import { WORKSPACE_FILE_NAME } from '../spk/workspace';
import { computeWorkspaceGraph, type WorkspaceGraphResult } from '../plugin/workspace-graph';

export interface ChangeRange {
  base?: string;
  head?: string;
  files?: string[];
  uncommitted?: boolean;
  untracked?: boolean;
}

/** Per project: its resolved build-ordering edges (what "its dependencies changed" compares). */
export type GraphSummary = Map<string, string[]>;

/**
 * The projects an edit touches, given the graph before and after it: new projects and those
 * whose dependencies differ, plus (transitively) the projects depending on any of them.
 * Projects only in `before` (removed) are gone; their dependents are caught by the edge diff.
 */
export function touchedByGraphChange(before: GraphSummary, after: GraphSummary): string[] {
  const touched = new Set<string>();
  for (const [name, deps] of after) {
    const old = before.get(name);
    if (old === undefined || old.length !== deps.length || old.some((d, i) => d !== deps[i])) touched.add(name);
  }
  const dependents = new Map<string, string[]>();
  for (const [name, deps] of after) for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), name]);
  const queue = [...touched];
  for (let i = 0; i < queue.length; i++) {
    for (const d of dependents.get(queue[i]) ?? []) {
      if (!touched.has(d)) {
        touched.add(d);
        queue.push(d);
      }
    }
  }
  return [...touched].sort();
}

function git(root: string, args: string[], input?: Buffer): Buffer {
  return execFileSync('git', args, { cwd: root, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'], ...(input ? { input } : {}) });
}

/** The plugin options of nx-spk in nx.json (first entry), and nx.json's default base. */
function nxJsonSettings(root: string): { options: NxSpkPluginOptions | undefined; defaultBase: string } {
  const nxJson = JSON.parse(readFileSync(path.join(root, 'nx.json'), 'utf8')) as {
    plugins?: Array<string | { plugin: string; options?: NxSpkPluginOptions }>;
    defaultBase?: string;
    affected?: { defaultBase?: string };
  };
  const entry = (nxJson.plugins ?? []).find((p) => (typeof p === 'string' ? p : p.plugin) === 'nx-spk');
  return {
    options: typeof entry === 'object' ? entry.options : undefined,
    defaultBase: nxJson.defaultBase ?? nxJson.affected?.defaultBase ?? 'main',
  };
}

/** The files a change range touches, as Nx computes them (merge-base of base and head). */
function changedFiles(root: string, range: ChangeRange, defaultBase: string): { files: string[]; baseRev: string; headRev?: string } {
  if (range.files && range.files.length > 0) return { files: range.files, baseRev: 'HEAD' };
  if (range.uncommitted || range.untracked) {
    const out = String(git(root, ['diff', '--name-only', '--no-renames', '--relative', 'HEAD']));
    return { files: out.split('\n').filter(Boolean), baseRev: 'HEAD' };
  }
  const head = range.head;
  const baseRev = String(git(root, ['merge-base', range.base ?? defaultBase, head ?? 'HEAD'])).trim();
  const args = head ? ['diff', '--name-only', '--no-renames', '--relative', baseRev, head] : ['diff', '--name-only', '--no-renames', '--relative', baseRev];
  const files = String(git(root, args)).split('\n').filter(Boolean);
  return { files, baseRev, ...(head ? { headRev: head } : {}) };
}

/** The recipe and workspace files of a revision, written under `dir`; returns the Nx root in it. */
function materialize(root: string, rev: string, dir: string): string {
  const prefix = String(git(root, ['rev-parse', '--show-prefix'])).trim();
  let tar: Buffer;
  try {
    tar = git(root, ['archive', '--format=tar', rev, '--', ':(glob)**/*.spk.yaml']);
  } catch {
    return dir; // no recipe at that revision
  }
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  // git archive paths are relative to the repository; the Nx root may be below it.
  return prefix ? path.join(dir, prefix) : dir;
}

function summarize(result: WorkspaceGraphResult): GraphSummary {
  const out: GraphSummary = new Map();
  for (const [name, meta] of result.metadata) out.set(name, [...meta.dependencies].sort());
  return out;
}

function graphAt(dir: string, options: NxSpkPluginOptions | undefined, env: NodeJS.ProcessEnv): GraphSummary {
  if (!existsSync(dir)) return new Map();
  const files = fg.sync('**/*.spk.yaml', { cwd: dir, ignore: ['**/node_modules/**', '**/.nx/**'], dot: false });
  const cache = new Map<string, CachedRecipeFile>();
  return summarize(withReportsMuted(() => computeWorkspaceGraph(files.sort(), normalizeOptions(options), dir, cache, env)));
}

/**
 * The projects a change of any `workspace.spk.yaml` touches (with their dependents), or [] when
 * the change does not edit one. Throws when git cannot say what changed.
 */
export function projectsTouchedByWorkspaceEdits(root: string, range: ChangeRange, env: NodeJS.ProcessEnv = process.env): string[] {
  const { options, defaultBase } = nxJsonSettings(root);
  const { files, baseRev, headRev } = changedFiles(root, range, defaultBase);
  if (!files.some((f) => path.posix.basename(f.split(path.sep).join('/')) === WORKSPACE_FILE_NAME)) return [];
  const temps: string[] = [];
  const at = (rev: string) => {
    const d = mkdtempSync(path.join(tmpdir(), 'nx-spk-affected-'));
    temps.push(d);
    return materialize(root, rev, d);
  };
  try {
    const before = graphAt(at(baseRev), options, env);
    const after = headRev ? graphAt(at(headRev), options, env) : graphAt(root, options, env);
    return touchedByGraphChange(before, after);
  } finally {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  }
}
