/**
 * The archive hand-off between Nx tasks.
 *
 * spk builds publish into the machine-local spfs repository, which Nx neither caches nor moves
 * between machines. So each spk-build task also exports its package to `<outputPath>/<name>_<version>.spk`
 * (a tar-format spfs repo, `spk export`), which IS a declared Nx output: it lands in the (remote)
 * cache, and a task whose dependencies were restored from cache imports their archives into the
 * local repo (`spk import`) before it builds/tests/publishes.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ExecutorContext } from '@nx/devkit';
import { exportArgs, importArgs } from '../../src/spk/cli';
import { buildEnvironmentDependencies, transitiveProjectDependencies } from './graph';
import { archiveDirOfProject } from './options';
import type { RunLocalPackages } from './run-local-packages';
import { describeExit, type SpkSession } from './spk-session';

/** File name spk itself uses for `spk export name/version` without a FILE (cmd_export.rs). */
export function archiveFileName(name: string, version: string): string {
  return `${name}_${version}.spk`;
}

/** `*.spk` files directly inside `dir` (relative to root), sorted; [] if the dir does not exist. */
export function archivesIn(root: string, dir: string): string[] {
  const abs = path.resolve(root, dir);
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.spk'))
    .filter((n) => {
      try {
        return statSync(path.join(abs, n)).isFile();
      } catch {
        return false;
      }
    })
    .sort()
    .map((n) => path.join(dir, n));
}

/**
 * Archives of the dependencies of `project` that have an spk-build target and whose archive
 * directory exists on disk (nearest dependencies first). `scope` 'build' = what spk puts in the
 * build environment (build requirements plus their runtime closure, see
 * buildEnvironmentDependencies); 'all' = the whole transitive closure (tests: the install stage
 * also needs the package's own runtime requirements). `alreadyLocal`: dependencies this nx
 * invocation built on this machine are left out (run-local-packages.ts).
 */
export function dependencyArchives(
  context: ExecutorContext,
  project: string | undefined,
  scope: 'build' | 'all' = 'build',
  alreadyLocal?: RunLocalPackages,
): string[] {
  if (!project) return [];
  const out: string[] = [];
  const deps = scope === 'build' ? buildEnvironmentDependencies(context, project) : transitiveProjectDependencies(context, project);
  for (const dep of deps) {
    // Built by this nx invocation on this machine: already in the local repository.
    if (alreadyLocal?.has(dep)) continue;
    const dir = archiveDirOfProject(context, dep);
    if (dir !== undefined) out.push(...archivesIn(context.root, dir));
  }
  return [...new Set(out)];
}

export type StepResult = { ok: true } | { ok: false; message: string; interrupted?: boolean };

/**
 * ONE `spk import --sync f1 f2 …` (skipped when there is nothing to import).
 *
 * spk is never handed a file that belongs to Nx: opening a tar repository marks it dirty and
 * spfs writes it back on close (crates/spfs/src/storage/tar/repository.rs), so importing the
 * archive in place would modify another task's cached output (its Nx output hash no longer
 * matches) and two tasks importing it at once could read a half-written file. Each archive is
 * copied into a private temp directory first and spk imports the copies.
 *
 * `record` (this nx invocation's import record, run-local-packages.ts): archives this invocation
 * already imported on this machine are skipped, and the check + import run under the
 * invocation's import lock, so concurrent tasks needing the same archive wait for one import.
 */
export async function importArchives(
  session: SpkSession,
  files: readonly string[],
  record?: RunLocalPackages,
): Promise<StepResult> {
  if (files.length === 0) return { ok: true };
  if (session.dryRun || record === undefined) return importCopies(session, files);
  const locked = await record.withImportLock(session.signal, async () => {
    const keys = new Map(files.map((f) => [f, archiveKey(path.resolve(session.root, f))]));
    const todo = files.filter((f) => !record.imported(keys.get(f)!));
    for (const f of files) if (!todo.includes(f)) session.log(`${f}: already imported by this nx invocation; not importing again`);
    const r = await importCopies(session, todo);
    if (r.ok) for (const f of todo) record.markImported(keys.get(f)!);
    return r;
  });
  return locked ?? { ok: false, message: 'interrupted while waiting for another task\'s spk import', interrupted: true };
}

/** Identity of an archive file as restored on this machine: path, size and mtime. */
function archiveKey(abs: string): string {
  try {
    const st = statSync(abs);
    return `${abs}\0${st.size}\0${st.mtimeMs}`;
  } catch {
    return `${abs}\0missing`;
  }
}

async function importCopies(session: SpkSession, files: readonly string[]): Promise<StepResult> {
  if (files.length === 0) return { ok: true };
  if (session.dryRun) {
    // The real command imports private copies; shown with the archives it copies.
    await session.run(importArgs(files), false);
    return { ok: true };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nx-spk-import-'));
  try {
    const copies: string[] = [];
    files.forEach((f, i) => {
      const copy = path.join(dir, `${i}-${path.basename(f)}`);
      try {
        copyFileSync(path.resolve(session.root, f), copy);
      } catch (e) {
        throw new Error(`cannot copy archive ${f} for import: ${(e as Error).message}`);
      }
      copies.push(copy);
    });
    session.log(`importing private copies of ${files.join(' ')}`);
    const r = await session.run(importArgs(copies), true);
    if (r.interrupted) return { ok: false, message: 'spk import interrupted', interrupted: true };
    if (r.exitCode !== 0) return { ok: false, message: `spk import failed (${describeExit(r)}) for ${files.join(' ')}` };
    return { ok: true };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function uniqueSuffix(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Exports `name/version` into `outputPath` so that `outputPath` only ever holds a complete archive:
 * spk writes into `<outputPath>.tmp-<pid>-<rand>/` (same parent, so renames stay on one
 * filesystem); on success the old `outputPath` is renamed away, the temp dir renamed in, and the
 * old one deleted. Any failure or interruption removes the temp dir and leaves `outputPath` as it was.
 */
export async function exportArchiveAtomically(
  session: SpkSession,
  name: string,
  version: string,
  outputPath: string,
  from: 'local' | 'origin' = 'local',
): Promise<StepResult> {
  const root = session.root;
  const fileName = archiveFileName(name, version);
  if (session.dryRun) {
    // The real command writes into a temp dir next to outputPath first; shown with the final path.
    await session.run(exportArgs(name, version, path.join(outputPath, fileName), from), false);
    return { ok: true };
  }
  const finalAbs = path.resolve(root, outputPath);
  const tmpRel = `${outputPath}.tmp-${uniqueSuffix()}`;
  const tmpAbs = path.resolve(root, tmpRel);
  mkdirSync(path.dirname(finalAbs), { recursive: true });
  mkdirSync(tmpAbs);
  try {
    const r = await session.run(exportArgs(name, version, path.join(tmpRel, fileName), from), true);
    if (r.interrupted) return { ok: false, message: 'spk export interrupted', interrupted: true };
    if (r.exitCode !== 0) return { ok: false, message: `spk export failed (${describeExit(r)}) for ${name}/${version}` };
    if (!existsSync(path.join(tmpAbs, fileName))) {
      return { ok: false, message: `spk export reported success but wrote no ${fileName}` };
    }
    replaceDirectory(tmpAbs, finalAbs);
    session.log(`exported ${name}/${version} to ${path.join(outputPath, fileName)}`);
    return { ok: true };
  } finally {
    rmSync(tmpAbs, { recursive: true, force: true });
  }
}

/** Atomically (per rename) puts directory `fresh` at `target`, deleting what was there. */
export function replaceDirectory(fresh: string, target: string): void {
  let old: string | undefined;
  if (existsSync(target)) {
    old = `${target}.old-${uniqueSuffix()}`;
    renameSync(target, old);
  }
  try {
    renameSync(fresh, target);
  } catch (e) {
    if (old !== undefined) renameSync(old, target);
    throw e;
  }
  if (old !== undefined) rmSync(old, { recursive: true, force: true });
}
