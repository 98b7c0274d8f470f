/**
 * `nx-spk plan` end to end: load the Nx project graph, select, ask spk (batched) what is
 * already built, assemble the plan. The side effects (Nx, spk) come in through `PlanIo`, so
 * the orchestration is testable with fakes; `nodePlanIo` is the real thing.
 */
import path from 'node:path';
import * as cli from '../../executors/shared/spk-process';
import type { Plan, PlanProblem } from './model';
import { externalPackageNames } from './externals';
import { assemblePlan, projectsToBuild } from './plan';
import { projectsTouchedByWorkspaceEdits } from './workspace-diff';
import { brokenRecipeProblems, planGraphFromProjectGraph, type ProjectGraphLike } from './project-graph';
import { selectProjects, type ProjectMatcher, type Selector } from './selection';
import { DEFAULT_SPK_CONCURRENCY, queryRepositories, type RepoListing, type VersionLister } from './status';

export interface AffectedOptions {
  base?: string;
  head?: string;
  files?: string[];
  uncommitted?: boolean;
  untracked?: boolean;
}

export type SelectionRequest = Exclude<Selector, { mode: 'affected' }> | ({ mode: 'affected' } & AffectedOptions);

export interface SpkAccess {
  bin: string;
  version: string | undefined;
  list: VersionLister;
}

export interface PlanIo {
  /** The Nx project graph, and problems met while computing it (a partial graph is usable). */
  loadGraph(): Promise<{ graph: ProjectGraphLike; problems: PlanProblem[] }>;
  /** Nx's project matcher over the graph. */
  matcher(graph: ProjectGraphLike): ProjectMatcher;
  /** Names of the Nx projects affected by the change (all kinds of projects). */
  affected(opts: AffectedOptions): Promise<string[]>;
  /** spk, or a sentence saying why it cannot be used. */
  spk(): Promise<SpkAccess | { unavailable: string }>;
}

export interface PlanRunOptions {
  selection: SelectionRequest;
  concurrency?: number;
}

export interface PlanRunResult {
  plan: Plan;
  /** Patterns were given and none matched a spk project: nothing could be planned. */
  nothingMatched: boolean;
  /** `--affected` and Nx could not compute the affected projects: nothing could be planned. */
  affectedFailed: boolean;
  /** The Nx project graph the plan was made from (`--explain` computes explanations over its recipe files). */
  graph: ProjectGraphLike;
}

export async function runPlan(opts: PlanRunOptions, io: PlanIo): Promise<PlanRunResult> {
  const { graph: nxGraph, problems: graphProblems } = await io.loadGraph();
  const problems: PlanProblem[] = [...graphProblems, ...brokenRecipeProblems(nxGraph)];
  const graph = planGraphFromProjectGraph(nxGraph);

  let selector: Selector;
  let affectedFailed = false;
  if (opts.selection.mode === 'affected') {
    const { mode: _mode, ...affectedOpts } = opts.selection;
    let affected: string[] = [];
    try {
      affected = await io.affected(affectedOpts);
    } catch (e) {
      affectedFailed = true;
      problems.push({ kind: 'affected', message: `cannot compute the affected projects: ${(e as Error).message}` });
    }
    selector = { mode: 'affected', projects: affected };
  } else {
    selector = opts.selection;
  }
  const selection = selectProjects(graph, selector, io.matcher(nxGraph));

  const spk = await io.spk();
  let listings: Map<string, RepoListing> | undefined;
  let spkInfo: Plan['spk'] = { available: false, version: null, bin: null };
  if ('unavailable' in spk) {
    problems.push({ kind: 'spk-unavailable', message: `${spk.unavailable}; every status is 'unknown'` });
  } else {
    spkInfo = { available: true, version: spk.version ?? null, bin: spk.bin };
    const concurrency = opts.concurrency ?? DEFAULT_SPK_CONCURRENCY;
    const planned = [...selection.reasons.keys()].filter((n) => graph.nodes.has(n));
    const pkgs = new Set(planned.map((n) => graph.nodes.get(n)!.pkg));
    listings = await queryRepositories(pkgs, spk.list, concurrency);
    // Externals only matter for what will be built, which is known once the statuses are.
    const more = externalPackageNames(projectsToBuild(graph, planned, listings), selection.unbuiltPins).filter((p) => !listings!.has(p));
    if (more.length > 0) for (const [k, v] of await queryRepositories(more, spk.list, concurrency)) listings.set(k, v);
  }

  const plan = assemblePlan({ graph, selection, spk: spkInfo, listings, problems });
  return { plan, nothingMatched: selection.nothingMatched, affectedFailed, graph: nxGraph };
}

// ---------------------------------------------------------------------------------------------
// The real side effects
// ---------------------------------------------------------------------------------------------

export interface NodePlanIoOptions {
  workspaceRoot: string;
  env?: NodeJS.ProcessEnv;
  /** `--spk-bin`; else $SPK_BIN; else `spk` on PATH (executors/shared/spk-process.ts resolveSpkBin). */
  spkBin?: string;
  /** Repository that "published" means (default `origin`). */
  originRepo?: string;
}

/** Parses `nx show projects --json` output (a JSON array, possibly after other lines). */
export function parseNxProjectList(stdout: string): string[] {
  const trimmed = stdout.trim();
  const candidates = [trimmed, ...trimmed.split('\n').reverse().map((l) => l.trim())].filter((l) => l.startsWith('['));
  for (const c of candidates) {
    try {
      const v = JSON.parse(c) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    } catch {
      /* try the next candidate */
    }
  }
  throw new Error(`unexpected output of 'nx show projects --json': ${trimmed.slice(0, 200)}`);
}

export function affectedArgs(opts: AffectedOptions): string[] {
  const args = ['show', 'projects', '--affected', '--json'];
  if (opts.base !== undefined) args.push(`--base=${opts.base}`);
  if (opts.head !== undefined) args.push(`--head=${opts.head}`);
  if (opts.files !== undefined && opts.files.length > 0) args.push(`--files=${opts.files.join(',')}`);
  if (opts.uncommitted) args.push('--uncommitted');
  if (opts.untracked) args.push('--untracked');
  return args;
}

export function nodePlanIo(o: NodePlanIoOptions): PlanIo {
  const env = o.env ?? process.env;
  const root = o.workspaceRoot;
  return {
    async loadGraph() {
      // @nx/devkit fixes the workspace root from process.cwd() when it is first loaded: the
      // CLI chdir()s to the root before calling this.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const devkit = require('@nx/devkit') as typeof import('@nx/devkit');
      try {
        return { graph: await devkit.createProjectGraphAsync({ exitOnError: false }), problems: [] };
      } catch (e) {
        const partial = (e as { getPartialProjectGraph?: () => ProjectGraphLike | null }).getPartialProjectGraph?.();
        if (!partial) throw e;
        return {
          graph: partial,
          problems: [{ kind: 'graph', message: `the Nx project graph has errors; planning with the partial graph: ${(e as Error).message}` }],
        };
      }
    },
    matcher(graph) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { findMatchingProjects } = require('@nx/devkit/internal') as typeof import('@nx/devkit/internal');
      return (patterns) => findMatchingProjects([...patterns], graph.nodes);
    },
    async affected(opts) {
      const nxBin = require.resolve('nx/bin/nx.js', { paths: [root] });
      const { execa } = await import('execa');
      const r = await execa(process.execPath, [nxBin, ...affectedArgs(opts)], { cwd: root, env, extendEnv: false, reject: false });
      if (r.exitCode !== 0) {
        throw new Error(`nx ${affectedArgs(opts).join(' ')} failed (exit ${r.exitCode}): ${String(r.stderr).trim() || String(r.stdout).trim()}`);
      }
      const fromNx = parseNxProjectList(String(r.stdout));
      // Nx cannot see which projects an edit of workspace.spk.yaml touches (see workspace-diff.ts).
      const fromWorkspaceFile = projectsTouchedByWorkspaceEdits(root, opts, env);
      return [...new Set([...fromNx, ...fromWorkspaceFile])].sort();
    },
    async spk() {
      let bin: string;
      try {
        bin = cli.resolveSpkBin(o.spkBin, env, root);
      } catch (e) {
        return { unavailable: (e as Error).message };
      }
      const origin = o.originRepo ?? 'origin';
      return {
        bin,
        version: await cli.spkVersion(bin),
        list: (name, scope) =>
          cli.listPackageVersions(bin, name, scope === 'local' ? { localOnly: true } : { repo: origin }, {
            cwd: root,
            env,
          }),
      };
    },
  };
}

/** The Nx workspace root: the nearest directory from `start` upwards that holds nx.json. */
export function findWorkspaceRoot(start: string, exists: (p: string) => boolean): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (exists(path.join(dir, 'nx.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
