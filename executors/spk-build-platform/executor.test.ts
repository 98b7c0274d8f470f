import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizePlatform } from './executor';

test('the summary names each pin, what built it and its archive, and the pins nothing builds', () => {
  const root = mkdtempSync(join(tmpdir(), 'nx-spk-platform-exec-'));
  try {
    mkdirSync(join(root, 'dist/spk/cmake/3.20.0'), { recursive: true });
    writeFileSync(join(root, 'dist/spk/cmake/3.20.0/cmake_3.20.0.spk'), 'archive');
    const lines = summarizePlatform(
      {
        platform: 'p@1.0.0',
        pins: [
          { pkg: 'cmake', version: '3.20.0', from: 'p@1.0.0', status: 'pinned', project: 'cmake@3.20.0', outputPath: 'dist/spk/cmake/3.20.0', reason: '' },
          { pkg: 'zlib', version: '1.2.13', from: 'base@1.0.0', status: 'project', project: 'zlib@1.2.13', outputPath: 'dist/spk/zlib/1.2.13', reason: '' },
          { pkg: 'qt', version: '5.15.2', from: 'p@1.0.0', status: 'external', reason: 'no recipe of qt' },
        ],
      },
      root,
    );
    assert.deepEqual(lines, [
      'p@1.0.0: 3 pins, 2 built by this workspace',
      '  cmake/3.20.0 ← cmake@3.20.0 (-o version=3.20.0): built or restored, archive dist/spk/cmake/3.20.0/cmake_3.20.0.spk',
      '  zlib/1.2.13 (inherited from base@1.0.0) ← zlib@1.2.13: built (no archive on disk)',
      '  qt/5.15.2: not built here (external): no recipe of qt',
    ]);
    assert.match(summarizePlatform({ platform: 'p@1.0.0', handoff: false, pins: [{ pkg: 'a', version: '1.0.0', from: 'p@1.0.0', status: 'project', project: 'a@1.0.0', reason: '' }] }, root)[1], /built into the local spk repository/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
