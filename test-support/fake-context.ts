/**
 * TEST SUPPORT ONLY: a temp Nx workspace with a fake spk, and a hand-made ExecutorContext.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExecutorContext, ProjectGraph, TargetConfiguration } from '@nx/devkit';
import { writeFakeSpk, readFakeSpkLog, type FakeSpkCall } from './fake-spk';

export interface FakeProject {
  name: string;
  root: string;
  /** Project-graph dependencies (names; `npm:` names become external nodes). */
  deps?: string[];
  targets?: Record<string, TargetConfiguration>;
}

export function fakeContext(root: string, projects: FakeProject[], projectName: string): ExecutorContext {
  const graph: ProjectGraph = { nodes: {}, externalNodes: {}, dependencies: {} };
  const configs: Record<string, { root: string; name: string; targets: Record<string, TargetConfiguration> }> = {};
  for (const p of projects) {
    graph.nodes[p.name] = { name: p.name, type: 'lib', data: { root: p.root, targets: p.targets ?? {} } };
    graph.dependencies[p.name] = (p.deps ?? []).map((d) => ({ source: p.name, target: d, type: 'implicit' }));
    for (const d of p.deps ?? []) {
      if (d.startsWith('npm:')) {
        graph.externalNodes![d] = { name: d as `npm:${string}`, type: 'npm', data: { packageName: d.slice(4), version: '1.0.0' } };
      }
    }
    configs[p.name] = { root: p.root, name: p.name, targets: p.targets ?? {} };
  }
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName,
    targetName: 'spk-build',
    projectGraph: graph,
    projectsConfigurations: { version: 2, projects: configs },
    nxJsonConfiguration: {},
  } as ExecutorContext;
}

/** spk-build target config as the plugin would infer it. */
export function spkBuildTarget(pkg: string, version: string, extra: Record<string, unknown> = {}): TargetConfiguration {
  return { executor: 'nx-spk:spk-build', options: { recipe: `recipes/${pkg}.spk.yaml`, package: pkg, version, ...extra } };
}

export class FakeWorkspace {
  readonly root: string;
  readonly spk: string;
  readonly log: string;

  constructor() {
    this.root = mkdtempSync(path.join(tmpdir(), 'nx-spk-exec-'));
    this.spk = writeFakeSpk(path.join(this.root, '.bin'));
    this.log = path.join(this.root, '.bin', 'calls.jsonl');
  }

  write(rel: string, text: string): string {
    const abs = path.join(this.root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    return abs;
  }

  exists(rel: string): boolean {
    return existsSync(path.join(this.root, rel));
  }

  ls(rel: string): string[] {
    try {
      return readdirSync(path.join(this.root, rel)).sort();
    } catch {
      return [];
    }
  }

  calls(): FakeSpkCall[] {
    return readFakeSpkLog(this.log);
  }

  /** argv of each call; the private copies `spk import` is given read as `<copy>/<file name>`. */
  argvs(): string[][] {
    return this.calls().map((c) => c.argv.map((a) => a.replace(/^.*\/nx-spk-import-[^/]+\/\d+-/, '<copy>/')));
  }

  /** env for the fake (pass as the executor's `env` option). */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return { FAKE_SPK_LOG: this.log, ...extra };
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Captures console.log/console.error lines while `fn` runs. */
export async function captureConsole<T>(fn: () => Promise<T>): Promise<{ result: T; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.map(String).join(' '));
  console.error = (...a: unknown[]) => void err.push(a.map(String).join(' '));
  try {
    const result = await fn();
    return { result, out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** The repo root (dir whose package.json is named nx-spk), for spawning tsx from the right cwd. */
export function repoRoot(from: string): string {
  let dir = from;
  for (;;) {
    try {
      const pkg = require(path.join(dir, 'package.json')) as { name?: string };
      if (pkg.name === 'nx-spk') return dir;
    } catch {
      // keep walking
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no nx-spk package.json above ${from}`);
    dir = up;
  }
}
