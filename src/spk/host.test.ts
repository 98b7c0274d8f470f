import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeHostOptions, parseOsRelease } from './host';

const ROCKY = 'NAME="Rocky Linux"\nVERSION="9.3 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n';

describe('computeHostOptions (spk HostOptions::host_options)', () => {
  const table: Array<[string, { osRelease: string; platform: string; arch: string }, Record<string, string>]> = [
    ['rocky on x64', { osRelease: ROCKY, platform: 'linux', arch: 'x64' }, { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' }],
    ['debian unquoted on arm64', { osRelease: 'ID=debian\nVERSION_ID="12"\n', platform: 'linux', arch: 'arm64' }, { os: 'linux', arch: 'aarch64', distro: 'debian', debian: '12' }],
    ['no VERSION_ID (arch rolling)', { osRelease: 'ID=arch\n', platform: 'linux', arch: 'x64' }, { os: 'linux', arch: 'x86_64', distro: 'arch' }],
    ['ID that is not an option name gets no version key', { osRelease: 'ID=Weird_OS\nVERSION_ID=1\n', platform: 'linux', arch: 'ia32' }, { os: 'linux', arch: 'x86', distro: 'Weird_OS' }],
    ['macOS naming', { osRelease: 'ID=x1\n', platform: 'darwin', arch: 'arm64' }, { os: 'macos', arch: 'aarch64', distro: 'x1' }],
  ];
  for (const [name, input, expected] of table) {
    test(name, () => {
      const out = computeHostOptions(input);
      assert.deepEqual(out, expected);
    });
  }
  test('reads /etc/os-release of this machine when not given', { skip: process.platform !== 'linux' }, () => {
    const out = computeHostOptions();
    assert.equal(out.os, 'linux');
    assert.ok(out.distro && out.distro.length > 0);
  });
  test('parseOsRelease strips quotes and ignores comments', () => {
    assert.deepEqual(parseOsRelease('# c\nA="x y"\nB=\'z\'\nC=w\n'), { A: 'x y', B: 'z', C: 'w' });
  });
});
