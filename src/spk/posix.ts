import path from 'node:path';

/**
 * A platform path as the forward-slash form spk and Nx show (project roots, recipe files,
 * glob matches). `path` here is only string manipulation, no I/O.
 */
export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}
