/**
 * Host options exactly as spk computes them (`HostOptions::host_options` in
 * `crates/spk-schema/crates/foundation/src/option_map/mod.rs`):
 * - `os`   = Rust `std::env::consts::OS`   (`linux`, `macos`, `windows`, `freebsd`, …);
 * - `arch` = Rust `std::env::consts::ARCH` (`x86_64`, `aarch64`, `x86`, `arm`, …);
 * - `distro` = `ID` of `/etc/os-release` (read by `sys_info::linux_os_release`), and when that ID
 *   is a valid option name, `<ID>` = `VERSION_ID` (e.g. `rocky: "9.3"`).
 * If os-release cannot be read spk fails ("Failed to get linux info") unless `--no-host` is given;
 * we throw SpkError kind 'option' the same way. Callers that want `--no-host` simply do not
 * call this (LoadRecipeOptions.hostOptions = false).
 */
import { SpkError } from './errors';
import { isValidOptName } from './name';
import { nodeReader, type SpkReader } from './reader';

/** Node `process.platform` → Rust `std::env::consts::OS`. */
const OS_NAMES: Record<string, string> = {
  linux: 'linux',
  darwin: 'macos',
  win32: 'windows',
  freebsd: 'freebsd',
  openbsd: 'openbsd',
  netbsd: 'netbsd',
  sunos: 'solaris',
  aix: 'aix',
  android: 'android',
};

/** Node `process.arch` → Rust `std::env::consts::ARCH`. */
const ARCH_NAMES: Record<string, string> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  ia32: 'x86',
  arm: 'arm',
  ppc64: 'powerpc64',
  ppc: 'powerpc',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loongarch64',
  mips: 'mips',
  mipsel: 'mips',
};

/** Parses os-release text (`KEY=value`, optionally single/double quoted) into a map. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
      value = value.slice(1, -1);
      if (raw.includes('"')) value = value.replace(/\\(["\\$`])/g, '$1');
    }
    out[key] = value;
  }
  return out;
}

export function computeHostOptions(
  opts?: { osRelease?: string; platform?: string; arch?: string },
  reader: SpkReader = nodeReader,
): Record<string, string> {
  const machine = opts?.platform === undefined || opts?.arch === undefined ? reader.platform() : undefined;
  const platform = opts?.platform ?? machine!.platform;
  const arch = opts?.arch ?? machine!.arch;
  const result: Record<string, string> = {
    os: OS_NAMES[platform] ?? platform,
    arch: ARCH_NAMES[arch] ?? arch,
  };
  let text = opts?.osRelease;
  if (text === undefined) {
    // sys_info reads /etc/os-release only (and only on Linux).
    try {
      text = reader.readText('/etc/os-release');
    } catch (e) {
      throw new SpkError(
        'option',
        `Failed to compute options for current host: cannot read /etc/os-release (${(e as Error).message}); use --no-host`,
        { file: '/etc/os-release', cause: e },
      );
    }
  }
  const info = parseOsRelease(text);
  if (info.ID !== undefined) {
    result.distro = info.ID;
    // spk only adds `<id>=<version_id>` when the ID is a valid option name (else a warning).
    if (isValidOptName(info.ID) && info.VERSION_ID !== undefined) result[info.ID] = info.VERSION_ID;
  }
  return result;
}
