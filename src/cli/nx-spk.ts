/**
 * The `nx-spk` command (bin). Subcommands: `plan`, `explain`.
 *
 * Exit codes: 0 the plan was printed (even with problems, which go to stderr and into the
 * JSON); 1 nothing could be planned (no Nx workspace, the graph failed, every given project
 * pattern was unknown, or Nx could not compute the affected projects); 2 bad command line.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatDot } from '../plan/format-dot';
import { formatJson } from '../plan/format-json';
import { formatMermaid } from '../plan/format-mermaid';
import { formatTable } from '../plan/format-table';
import type { Plan } from '../plan/model';
import type { ProjectGraphLike } from '../plan/project-graph';
import { findWorkspaceRoot, nodePlanIo, runPlan, type PlanIo, type SelectionRequest } from '../plan/run';
import { explainWorkspace, formatExplanation, nxSpkPluginEntries, recipeFilesOfGraph, type Explanation } from '../plugin/explain';

export const FORMATS = ['table', 'json', 'mermaid', 'dot'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export const MAIN_HELP = `Usage: nx-spk <command> [options]

Commands:
  plan     What must be built, in which order, and what is already published
  explain  Every requirement of a recipe-version: what it resolved to and why

Run 'nx-spk <command> --help' for the options of a command.
`;

export const EXPLAIN_HELP = `Usage: nx-spk explain <project> [--json]

Prints every requirement of one spk recipe-version project (name@version, or a spk package
name with a single version in the workspace): its role (build, runtime, test, soft,
platform-base), the request, where it comes from in the recipe (source, variants, stage,
phase), what it resolved to (project, external, soft, self, cycle-broken, not-ordered) with
the target project, and the reason. Computed like the plugin computes the graph (same recipe
files, the plugin's options from nx.json); the project configurations only carry the edges.

      --json       the explanation as JSON: { project, recipe, spkWorkspace, requirements }
  -h, --help       show this help

Exit status: 0 printed; 1 no Nx workspace, the graph failed, or no such project; 2 bad command line.
`;

export const PLAN_HELP = `Usage: nx-spk plan [selection] [output] [spk options]

Prints, for the selected spk recipe-versions of this Nx workspace (and everything they need):
their status (published / local / build / unknown / error), why each is in the plan, the
waves that can build in parallel (published ones removed), and the external requests.

Selection (at most one; default: every spk recipe-version):
  -p, --projects <patterns>   Nx project patterns, comma-separated or repeated: names, globs,
                              tag:<tag>, directories, !negation (as in nx run-many -p).
                              A bare spk package name selects all its versions.
      --up-to <project>       the project(s) and their dependencies
      --dependents-of <project>
                              the project(s) and everything that depends on them
      --platform <project>    the recipe-versions the platform(s) pin (their own pins and
                              their bases'), and their dependencies: what
                              'nx run <project>:spk-build-platform' builds; a pin nothing in
                              the workspace builds is listed with the externals
      --affected              projects Nx finds affected by the change, with
        --base <ref>          base of the change (default: nx.json defaultBase)
        --head <ref>          head of the change (default: the working tree)
        --files <a,b>         changed files instead of git refs
        --uncommitted         uncommitted changes
        --untracked           untracked files

Output:
      --format <format>       table (default), json, mermaid or dot
      --json                  same as --format json (schema: docs/plan-schema.md)

spk:
      --spk-bin <path>        spk executable (default: $SPK_BIN, else spk on PATH)
      --repo <name>           repository whose versions count as published (default: origin)
      --concurrency <n>       spk calls at a time (default: 4)

      --strict                exit 3 when the plan has problems (a recipe that failed
                              to load, a cycle, spk failing), after printing it
      --explain               also every requirement of each planned project, what it
                              resolved to and why (table and json formats; see
                              'nx-spk explain')

  -h, --help                  show this help

Exit status: 0 plan printed (problems are reported on stderr); 1 nothing could be planned;
2 bad command line; 3 plan printed with problems and --strict. Without spk every status
is 'unknown' and the exit status is still 0 (also with --strict).
`;

export class UsageError extends Error {}

export interface ParsedPlanArgs {
  help: boolean;
  selection: SelectionRequest;
  format: OutputFormat;
  spkBin?: string;
  repo?: string;
  concurrency?: number;
  /** `--strict`: exit 3 when the plan has problems (other than spk being unavailable). */
  strict?: boolean;
  /** `--explain`: add every planned project's explained requirements. */
  explain?: boolean;
}

/**
 * Splits comma-separated project lists like Nx does, but keeps spk tag sets together:
 * `foo@1.0.0-alpha.1,beta.2` is ONE project (a `,` inside a version's tag set is followed by
 * `<letters>.<digits>`), not two.
 */
export function splitProjectList(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    for (const piece of v.split(',')) {
      const prev = out.length > 0 ? out[out.length - 1] : undefined;
      if (prev !== undefined && /@[0-9][^@]*[-+][A-Za-z]+\.[0-9]+$/.test(prev) && /^[A-Za-z]+\.[0-9]+$/.test(piece)) {
        out[out.length - 1] = `${prev},${piece}`;
        continue;
      }
      const t = piece.trim();
      if (t.length > 0) out.push(t);
    }
  }
  return out;
}

export function parsePlanArgs(argv: string[]): ParsedPlanArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        projects: { type: 'string', short: 'p', multiple: true },
        'up-to': { type: 'string', multiple: true },
        'dependents-of': { type: 'string', multiple: true },
        platform: { type: 'string', multiple: true },
        affected: { type: 'boolean' },
        base: { type: 'string' },
        head: { type: 'string' },
        files: { type: 'string', multiple: true },
        uncommitted: { type: 'boolean' },
        untracked: { type: 'boolean' },
        format: { type: 'string' },
        json: { type: 'boolean' },
        'spk-bin': { type: 'string' },
        repo: { type: 'string' },
        concurrency: { type: 'string' },
        strict: { type: 'boolean' },
        explain: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const modes = (['projects', 'up-to', 'dependents-of', 'platform', 'affected'] as const).filter((m) => v[m] !== undefined && v[m] !== false);
  if (modes.length > 1) throw new UsageError(`choose one selection: --${modes.join(', --')} were given together`);
  const affectedOnly = (['base', 'head', 'files', 'uncommitted', 'untracked'] as const).filter((k) => v[k] !== undefined);
  if (affectedOnly.length > 0 && !v.affected) throw new UsageError(`--${affectedOnly[0]} only applies with --affected`);

  let format: OutputFormat = 'table';
  if (v.format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(v.format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got '${v.format}')`);
    }
    format = v.format as OutputFormat;
  }
  if (v.json) {
    if (v.format !== undefined && v.format !== 'json') throw new UsageError(`--json conflicts with --format ${v.format}`);
    format = 'json';
  }

  if (v.explain && (format === 'mermaid' || format === 'dot')) throw new UsageError(`--explain applies to the table and json formats, not ${format}`);

  let concurrency: number | undefined;
  if (v.concurrency !== undefined) {
    concurrency = Number(v.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new UsageError(`--concurrency must be an integer from 1 to 64 (got '${v.concurrency}')`);
    }
  }

  let selection: SelectionRequest = { mode: 'all' };
  const list = (name: 'projects' | 'up-to' | 'dependents-of' | 'platform') => {
    const patterns = splitProjectList(v[name] ?? []);
    if (patterns.length === 0) throw new UsageError(`--${name} needs at least one project`);
    return patterns;
  };
  if (v.projects) selection = { mode: 'projects', patterns: list('projects') };
  else if (v['up-to']) selection = { mode: 'up-to', patterns: list('up-to') };
  else if (v['dependents-of']) selection = { mode: 'dependents-of', patterns: list('dependents-of') };
  else if (v.platform) selection = { mode: 'platform', patterns: list('platform') };
  else if (v.affected) {
    selection = {
      mode: 'affected',
      ...(v.base !== undefined ? { base: v.base } : {}),
      ...(v.head !== undefined ? { head: v.head } : {}),
      ...(v.files !== undefined ? { files: v.files.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean) } : {}),
      ...(v.uncommitted ? { uncommitted: true } : {}),
      ...(v.untracked ? { untracked: true } : {}),
    };
  }
  return {
    help: v.help === true,
    selection,
    format,
    ...(v['spk-bin'] !== undefined ? { spkBin: v['spk-bin'] } : {}),
    ...(v.repo !== undefined ? { repo: v.repo } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(v.strict ? { strict: true } : {}),
    ...(v.explain ? { explain: true } : {}),
  };
}

export interface ParsedExplainArgs {
  help: boolean;
  project?: string;
  json: boolean;
}

export function parseExplainArgs(argv: string[]): ParsedExplainArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const help = parsed.values.help === true;
  if (!help && parsed.positionals.length !== 1) {
    throw new UsageError(parsed.positionals.length === 0 ? 'name one project' : `name one project (got ${parsed.positionals.join(', ')})`);
  }
  return { help, ...(parsed.positionals[0] !== undefined ? { project: parsed.positionals[0] } : {}), json: parsed.values.json === true };
}

export function formatPlan(plan: Plan, format: OutputFormat, explanations?: ReadonlyMap<string, Explanation>): string {
  switch (format) {
    case 'json': {
      if (!explanations) return formatJson(plan);
      // The plan's JSON, plus `explanations` keyed by planned project (docs/plan-schema.md).
      const json = JSON.parse(formatJson(plan)) as Record<string, unknown>;
      json.explanations = Object.fromEntries(plan.projects.map((p) => [p.name, explanations.get(p.name)?.requirements ?? []]));
      return `${JSON.stringify(json, null, 2)}\n`;
    }
    case 'mermaid':
      return formatMermaid(plan);
    case 'dot':
      return formatDot(plan);
    case 'table': {
      const table = formatTable(plan);
      if (!explanations) return table;
      const parts = plan.projects.flatMap((p) => {
        const e = explanations.get(p.name);
        return e ? [formatExplanation(e)] : [];
      });
      return `${table}\nExplanations:\n${parts.join('')}`;
    }
  }
}

export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Called with the workspace root before any Nx code is loaded (the real CLI chdir()s). */
  enterWorkspace?(root: string): void;
  /** Side effects for the plan; default: the real Nx + spk. */
  makeIo?(root: string, args: ParsedPlanArgs): PlanIo;
  /** The Nx project graph for `explain`; default: the real Nx. */
  loadGraph?(root: string): Promise<ProjectGraphLike>;
  /** Explanations of the projects of `graph`; default: computed in this process (src/plugin/explain.ts). */
  explain?(root: string, graph: ProjectGraphLike): Map<string, Explanation>;
}

function defaultExplain(root: string, graph: ProjectGraphLike, env: NodeJS.ProcessEnv): Map<string, Explanation> {
  const nxJson = JSON.parse(readFileSync(path.join(root, 'nx.json'), 'utf8')) as { plugins?: unknown[] };
  return explainWorkspace({ root, entries: nxSpkPluginEntries(nxJson), recipeFiles: recipeFilesOfGraph(graph.nodes), env });
}

/**
 * What every subcommand does first: parse its arguments (a usage error exits 2), answer
 * `--help`, and find the Nx workspace root above the cwd. Returns the exit code when the command
 * ends here.
 */
function enterCommand<A extends { help?: boolean }>(
  name: string,
  parse: () => A,
  help: string,
  ctx: CliContext,
): { args: A; root: string } | number {
  let args: A;
  try {
    args = parse();
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.stderr(`nx-spk ${name}: ${e.message}\nRun 'nx-spk ${name} --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    ctx.stdout(help);
    return 0;
  }
  const root = findWorkspaceRoot(ctx.cwd, existsSync);
  if (root === undefined) {
    ctx.stderr(`nx-spk ${name}: no nx.json in ${ctx.cwd} or above: run it inside an Nx workspace that uses the nx-spk plugin\n`);
    return 1;
  }
  ctx.enterWorkspace?.(root);
  return { args, root };
}

async function runExplain(argv: string[], ctx: CliContext): Promise<number> {
  const start = enterCommand('explain', () => parseExplainArgs(argv), EXPLAIN_HELP, ctx);
  if (typeof start === 'number') return start;
  const { args, root } = start;
  let explanations: Map<string, Explanation>;
  try {
    const graph = ctx.loadGraph ? await ctx.loadGraph(root) : (await nodePlanIo({ workspaceRoot: root, env: ctx.env }).loadGraph()).graph;
    explanations = ctx.explain ? ctx.explain(root, graph) : defaultExplain(root, graph, ctx.env);
  } catch (e) {
    ctx.stderr(`nx-spk explain: cannot compute the graph: ${(e as Error).message}\n`);
    return 1;
  }
  const wanted = args.project!;
  let e = explanations.get(wanted);
  if (!e) {
    // A bare spk package name names its only version.
    const versions = [...explanations.keys()].filter((p) => p.slice(0, p.lastIndexOf('@')) === wanted).sort();
    if (versions.length === 1) e = explanations.get(versions[0]);
    else {
      ctx.stderr(
        versions.length > 1
          ? `nx-spk explain: ${wanted} has several versions in this workspace; name one: ${versions.join(', ')}\n`
          : `nx-spk explain: ${wanted} is not a spk recipe-version project of this workspace\n`,
      );
      return 1;
    }
  }
  ctx.stdout(args.json ? `${JSON.stringify(e, null, 2)}\n` : formatExplanation(e!));
  return 0;
}

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    ctx.stderr(MAIN_HELP);
    return 2;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    ctx.stdout(MAIN_HELP);
    return 0;
  }
  if (command === 'explain') return runExplain(rest, ctx);
  if (command !== 'plan') {
    ctx.stderr(`nx-spk: unknown command '${command}'\n\n${MAIN_HELP}`);
    return 2;
  }
  const start = enterCommand('plan', () => parsePlanArgs(rest), PLAN_HELP, ctx);
  if (typeof start === 'number') return start;
  const { args, root } = start;
  const io =
    ctx.makeIo?.(root, args) ??
    nodePlanIo({
      workspaceRoot: root,
      env: ctx.env,
      ...(args.spkBin !== undefined ? { spkBin: args.spkBin } : {}),
      ...(args.repo !== undefined ? { originRepo: args.repo } : {}),
    });
  let result;
  try {
    result = await runPlan({ selection: args.selection, ...(args.concurrency ? { concurrency: args.concurrency } : {}) }, io);
  } catch (e) {
    ctx.stderr(`nx-spk plan: cannot load the Nx project graph: ${(e as Error).message}\n`);
    return 1;
  }
  for (const p of result.plan.problems) ctx.stderr(`nx-spk plan: ${p.kind === 'spk-unavailable' ? 'note' : 'problem'}: ${p.message}\n`);
  if (result.nothingMatched || result.affectedFailed) {
    ctx.stderr(
      result.nothingMatched
        ? args.selection.mode === 'platform'
          ? 'nx-spk plan: none of the given projects is a spk platform of this workspace; nothing to plan\n'
          : 'nx-spk plan: none of the given projects is a spk recipe-version of this workspace; nothing to plan\n'
        : 'nx-spk plan: the affected projects are unknown; nothing to plan\n',
    );
    if (args.format === 'json') ctx.stdout(formatPlan(result.plan, args.format));
    return 1;
  }
  let explanations: Map<string, Explanation> | undefined;
  if (args.explain) {
    try {
      explanations = ctx.explain ? ctx.explain(root, result.graph) : defaultExplain(root, result.graph, ctx.env);
    } catch (e) {
      ctx.stderr(`nx-spk plan: cannot compute the explanations: ${(e as Error).message}\n`);
      return 1;
    }
  }
  ctx.stdout(formatPlan(result.plan, args.format, explanations));
  if (args.strict && result.plan.problems.some((p) => p.kind !== 'spk-unavailable')) {
    ctx.stderr('nx-spk plan: --strict: the plan has problems (listed above); exit status 3\n');
    return 3;
  }
  return 0;
}

/** Entry point of bin/nx-spk.js. */
export function main(argv: string[] = process.argv.slice(2)): void {
  // Nx and its plugin workers may print to stdout while the graph is computed; the plan must be
  // the only thing on stdout (`--json` is piped into CI tools), so everything else goes to stderr.
  const realWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: unknown, ...more: unknown[]) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...more)) as typeof process.stdout.write;
  let out = '';
  runCli(argv, {
    cwd: process.cwd(),
    env: process.env,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      process.stderr.write(t);
    },
    enterWorkspace: (root) => process.chdir(root),
  })
    .catch((e: unknown) => {
      process.stderr.write(`nx-spk: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      return 1;
    })
    .then((code) => {
      // Exit explicitly: Nx leaves plugin workers / daemon sockets that would keep us alive.
      if (out === '') process.exit(code);
      else realWrite(out, () => process.exit(code));
    });
}

if (require.main === module) main();
