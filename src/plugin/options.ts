/**
 * Plugin options (nx.json `plugins[].options`), normalised once per graph computation.
 * Nx passes `undefined` when the plugin is listed as a plain string.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_OUTPUT_DIR, isSkipExisting, type SkipExisting } from './build-options';

function readPluginVersion(): string {
  try {
    // dist/src/plugin/options.js → the package root
    return String(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version);
  } catch {
    return '0.0.0';
  }
}

export const PLUGIN_VERSION = readPluginVersion();

export interface NxSpkPluginOptions {
  /** Name of the inferred build target. Default `spk-build`. */
  buildTargetName?: string;
  /** Name of the inferred test target (only on recipes with `tests`). Default `spk-test`. */
  testTargetName?: string;
  /** Name of the inferred publish target. Default `spk-publish`. */
  publishTargetName?: string;
  /** Name of the build-the-platform target of platform projects. Default `spk-build-platform`. */
  buildPlatformTargetName?: string;
  /**
   * A platform pin (`pkg: name/V`) that no `versions` list names makes `name@V` a project when
   * exactly one template can produce V. `false`: `versions` lists are the only source of
   * recipe-versions (pins still drive `spk-build-platform` for what exists). Default true.
   */
  platformPins?: boolean;
  /**
   * Host options used to render recipes and select variants (`os`, `arch`, `distro`,
   * `<distro-id>`), as spk computes them from the machine. Pin them (an object) so every
   * machine, including distributed agents, computes the identical graph; `false` renders
   * as `spk --no-host` does. Default: computed from this machine.
   */
  hostOptions?: Record<string, string> | false;
  /** Extra options (`-o k=v`) for rendering and for every build. Default none. */
  options?: Record<string, string>;
  /** Turn dependency cycles into errors naming the full path instead of breaking them. Default false. */
  strictCycles?: boolean;
  /**
   * Dependency cycles you know about (e.g. spk's own `autoconf → gettext → autoconf`): they are
   * resolved as usual but no longer warned about on every Nx command. Each entry is the cycle as
   * the warning prints it (`a@1.0.0 → b@2.0.0 → a@1.0.0`), or with package names only
   * (`a → b → a`) to acknowledge it at any versions. A cycle not listed still warns.
   */
  acknowledgedCycles?: string[];
  /** Repositories to enable for builds (`-r NAME`). Default none (spk's default: local + origin). */
  repos?: string[];
  /** spk binary for the executors (else $SPK_BIN, else `spk` on PATH). */
  spkBin?: string;
  /** Export/import archives through the target outputs (artifact handoff). Default true. */
  handoff?: boolean;
  /** `none` | `local` | `origin`: skip a build whose exact name/version already exists there. Default `none`. */
  skipExisting?: SkipExisting;
  /** Extra environment variables that change a build (task hash inputs). */
  envInputs?: string[];
  /**
   * spfs tag namespace for every spk call of every task (`SPFS_STORAGE__TAG_NAMESPACE`), e.g.
   * one per CI pipeline so concurrent runs on one machine don't see each other's local builds.
   */
  tagNamespace?: string;
  /** Where build outputs (archives) go, relative to the workspace root. Default `dist/spk`. */
  outputDir?: string;
}

export interface NormalizedOptions {
  buildTargetName: string;
  testTargetName: string;
  publishTargetName: string;
  buildPlatformTargetName: string;
  platformPins: boolean;
  hostOptions: Record<string, string> | false | undefined;
  options: Record<string, string>;
  strictCycles: boolean;
  acknowledgedCycles: string[];
  repos: string[];
  spkBin?: string;
  handoff: boolean;
  skipExisting: SkipExisting;
  envInputs: string[];
  tagNamespace?: string;
  outputDir: string;
  /** nx-spk's own version (a task input). */
  pluginVersion: string;
}

function stringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`nx-spk: plugin option ${what} must be an object of strings, got ${JSON.stringify(value)}`);
  }
  const out: Record<string, string> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined || v === null) continue;
    out[k] = String(v);
  }
  return out;
}

export function normalizeOptions(raw: NxSpkPluginOptions | undefined): NormalizedOptions {
  const o = raw ?? {};
  const skip = o.skipExisting ?? 'none';
  if (!isSkipExisting(skip)) {
    throw new Error(`nx-spk: plugin option skipExisting must be none, local or origin, got ${JSON.stringify(skip)}`);
  }
  return {
    buildTargetName: o.buildTargetName ?? 'spk-build',
    testTargetName: o.testTargetName ?? 'spk-test',
    publishTargetName: o.publishTargetName ?? 'spk-publish',
    buildPlatformTargetName: o.buildPlatformTargetName ?? 'spk-build-platform',
    platformPins: o.platformPins !== false,
    hostOptions: o.hostOptions === false ? false : o.hostOptions ? stringMap(o.hostOptions, 'hostOptions') : undefined,
    options: stringMap(o.options, 'options'),
    strictCycles: o.strictCycles === true,
    acknowledgedCycles: [...(o.acknowledgedCycles ?? [])].map(String),
    repos: [...(o.repos ?? [])].map(String),
    spkBin: o.spkBin,
    handoff: o.handoff !== false,
    skipExisting: skip,
    envInputs: [...new Set(o.envInputs ?? [])].map(String).sort(),
    ...(o.tagNamespace ? { tagNamespace: String(o.tagNamespace) } : {}),
    outputDir: (o.outputDir ?? DEFAULT_OUTPUT_DIR).replace(/\\/g, '/').replace(/\/+$/, ''),
    pluginVersion: PLUGIN_VERSION,
  };
}
