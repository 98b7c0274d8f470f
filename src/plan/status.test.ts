import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { containsVersion, mapLimit, queryRepositories, statusOf, type RepoScope } from './status';

describe('queryRepositories', () => {
  test('one origin and one local call per distinct package name', async () => {
    const calls: string[] = [];
    const repo: Record<RepoScope, Record<string, string[]>> = {
      origin: { zlib: ['1.2.13'], curl: [] },
      local: { zlib: ['1.3.0'], curl: ['8.0.0'] },
    };
    const out = await queryRepositories(['zlib', 'curl', 'zlib', 'zlib'], async (name, scope) => {
      calls.push(`${scope}:${name}`);
      return repo[scope][name] ?? [];
    });
    assert.deepEqual(calls.sort(), ['local:curl', 'local:zlib', 'origin:curl', 'origin:zlib']);
    assert.deepEqual(out.get('zlib'), { origin: ['1.2.13'], local: ['1.3.0'] });
    assert.deepEqual(out.get('curl'), { origin: [], local: ['8.0.0'] });
  });

  test('at most `concurrency` calls in flight, and they do overlap', async () => {
    let inFlight = 0;
    let peak = 0;
    const names = Array.from({ length: 10 }, (_, i) => `pkg-${i}`);
    await queryRepositories(names, async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return [];
    }, 4);
    assert.equal(peak, 4);
  });

  test('a failure is recorded for that name only; its lists are emptied', async () => {
    const out = await queryRepositories(['bad', 'good'], async (name, scope) => {
      if (name === 'bad' && scope === 'local') throw new Error('spk ls -L bad failed (exit 1): boom');
      return ['1.0.0'];
    });
    assert.deepEqual(out.get('good'), { origin: ['1.0.0'], local: ['1.0.0'] });
    assert.equal(out.get('bad')!.error, 'spk ls -L bad failed (exit 1): boom');
    assert.deepEqual(out.get('bad')!.origin, []);
  });

  test('no names: no calls', async () => {
    let called = false;
    const out = await queryRepositories([], async () => {
      called = true;
      return [];
    });
    assert.equal(out.size, 0);
    assert.equal(called, false);
  });
});

test('mapLimit keeps input order', async () => {
  const r = await mapLimit([30, 10, 20], 2, async (ms) => {
    await new Promise((res) => setTimeout(res, ms));
    return ms * 2;
  });
  assert.deepEqual(r, [60, 20, 40]);
});

describe('statusOf', () => {
  const cases: Array<[string, Parameters<typeof statusOf>[1], string]> = [
    ['1.0.0', { origin: ['1.0.0'], local: [] }, 'published'],
    ['1.0.0', { origin: ['1.0.0'], local: ['1.0.0'] }, 'published'],
    ['1.0.0', { origin: [], local: ['1.0.0'] }, 'local'],
    ['1.0.0', { origin: ['2.0.0'], local: ['0.9'] }, 'build'],
    ['1.0.0', { origin: ['1.0'], local: [] }, 'published'], // spk: 1.0 == 1.0.0
    ['1.0.0', undefined, 'unknown'],
    ['1.0.0', { origin: [], local: [], error: 'boom' }, 'error'],
  ];
  for (const [version, listing, want] of cases) {
    test(`${version} in ${JSON.stringify(listing)} → ${want}`, () => {
      assert.equal(statusOf(version, listing).status, want);
    });
  }

  test('error carries the message', () => {
    assert.deepEqual(statusOf('1', { origin: [], local: [], error: 'boom' }), { status: 'error', error: 'boom' });
  });
});

test('containsVersion ignores lines that are not versions', () => {
  assert.equal(containsVersion(['garbage', '1.2.3'], '1.2.3'), true);
  assert.equal(containsVersion(['garbage'], '1.2.3'), false);
  assert.equal(containsVersion(['1.2.3+r.1'], '1.2.3'), false);
});
