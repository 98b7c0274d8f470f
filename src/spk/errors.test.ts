import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError, errorAbout, withErrorKind } from './errors';

describe('errorAbout', () => {
  const cases: Array<{ name: string; input: unknown; want: string }> = [
    { name: 'a string is shown as is', input: 'a/b', want: 'a/b' },
    { name: 'a mapping is shown as JSON', input: { pkg: 'x' }, want: '{"pkg":"x"}' },
    { name: 'undefined is shown as text', input: undefined, want: 'undefined' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const e = errorAbout('option', 'bad', c.input);
      assert.equal(e.kind, 'option');
      assert.equal(e.input, c.want);
    });
  }
});

describe('withErrorKind', () => {
  test('an SpkError keeps its reason and position under the new kind and input', () => {
    assert.throws(
      () => withErrorKind('request', 'whole text', () => {
        throw new SpkError('name', 'too short', { input: 'x', position: 3 });
      }),
      (e: unknown) => e instanceof SpkError && e.kind === 'request' && e.reason === 'too short' && e.position === 3 && e.input === 'whole text',
    );
  });
  test('other errors pass through unchanged', () => {
    const boom = new TypeError('boom');
    assert.throws(() => withErrorKind('request', 't', () => { throw boom; }), (e: unknown) => e === boom);
  });
  test('a value is returned', () => assert.equal(withErrorKind('request', 't', () => 42), 42));
});
