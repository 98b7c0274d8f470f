/**
 * The one stable order of project names used by every output of `nx-spk plan`:
 * package name (byte order), then spk version order (so `1.9` comes before `1.10`), then the
 * raw text (so `1.0` and `1.0.0`, equal to spk, still have a fixed order).
 */
import { compareVersions } from '../spk/version';

function split(project: string): [string, string] {
  const at = project.lastIndexOf('@');
  return at > 0 ? [project.slice(0, at), project.slice(at + 1)] : [project, ''];
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareProjectNames(a: string, b: string): number {
  const [pa, va] = split(a);
  const [pb, vb] = split(b);
  const byPkg = byteCompare(pa, pb);
  if (byPkg !== 0) return byPkg;
  let byVersion = 0;
  try {
    byVersion = compareVersions(va, vb);
  } catch {
    // Not an spk version (a non-spk name slipped in): fall back to the text.
  }
  return byVersion !== 0 ? byVersion : byteCompare(a, b);
}

export function sortProjects(names: Iterable<string>): string[] {
  return [...names].sort(compareProjectNames);
}

export { byteCompare };
