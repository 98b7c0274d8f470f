/**
 * The known hostile shapes, one test each: brace-expansion bombs, YAML alias bombs ("billion
 * laughs"), deeply nested YAML, template loop / memory bombs and huge scalars. Each must end as
 * a SpkError or a reported problem with a clear message naming the file, quickly.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpkError } from '../../src/spk/errors';
import { expandVersionEntry, parseWorkspaceFile } from '../../src/spk/workspace';
import { loadRecipeText } from '../../src/spk/recipe';
import { renderTemplate } from '../../src/spk/template';
import { MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_EXPANDED_NODES } from '../../src/spk/yaml-limits';
import { bombInputs, TARGETS } from './targets';
import { BOMBS } from './mutate';

const OPTS = { workspaceRoot: '/nonexistent', hostOptions: false as const, env: {} };

function timed<T>(fn: () => T, limitMs = 10_000): T {
  const start = performance.now();
  const out = fn();
  const ms = performance.now() - start;
  assert.ok(ms < limitMs, `took ${Math.round(ms)} ms`);
  return out;
}

describe('every bomb shape ends as a bounded rejection', () => {
  for (const b of bombInputs()) {
    test(`${b.target}: ${b.label}`, () => {
      const target = TARGETS.find((t) => t.name === b.target)!;
      const outcome = timed(() => target.check(b.input));
      // A huge scalar may be valid for some parsers (a long version), a structural bomb is refused.
      if (b.mustReject) assert.equal(outcome, 'rejected');
    });
  }
});

describe('limits carry clear messages naming the file', () => {
  test('brace expansion over the per-entry limit', () => {
    assert.throws(
      () => timed(() => expandVersionEntry('1.{0..9}{0..9}{0..9}{0..9}{0..9}', 0)),
      (e: unknown) => e instanceof SpkError && /would produce about 100000 versions; the limit is 10000/.test(e.message),
    );
  });
  test('workspace file: brace bomb in versions is a problem on its line', () => {
    const out = timed(() => parseWorkspaceFile('recipes:\n  - path: a.spk.yaml\n    versions: ["{1..99999999}"]\n', 'workspace.spk.yaml'));
    assert.equal(out.items.length, 0);
    assert.equal(out.problems.length, 1);
    assert.equal(out.problems[0].line, 3);
    assert.match(out.problems[0].message, /limit is 10000 per entry/);
  });
  test('recipe: YAML alias bomb (billion laughs)', () => {
    const out = timed(() => loadRecipeText(`pkg: bomb/1.0.0\n${BOMBS.yamlAlias[0]}`, 'pkgs/bomb.spk.yaml', [], OPTS));
    assert.equal(out.recipeVersions.length, 0);
    assert.equal(out.problems.length, 1);
    assert.equal(out.problems[0].file, 'pkgs/bomb.spk.yaml');
    assert.match(out.problems[0].message, new RegExp(`more than ${MAX_YAML_EXPANDED_NODES} nodes through aliases`));
  });
  test('recipe: an alias that contains itself', () => {
    const out = timed(() => loadRecipeText('pkg: bomb/1.0.0\na: &a [*a]\n', 'bomb.spk.yaml', [], OPTS));
    assert.equal(out.problems.length, 1);
    assert.match(out.problems[0].message, /nested too deeply|invalid yaml/);
  });
  test('recipe: aliases within the limit read as their anchored value (like serde_yaml)', () => {
    const text = 'pkg: aliased/1.0.0\ninstall:\n  requirements: &reqs\n    - pkg: zlib/1.2\ntests:\n  - stage: install\n    script: [true]\n    requirements: *reqs\n';
    const out = loadRecipeText(text, 'aliased.spk.yaml', [], OPTS);
    assert.deepEqual(out.problems, []);
    const reqs = out.recipeVersions[0].requirements.filter((r) => r.pkg === 'zlib').map((r) => r.role);
    assert.deepEqual(reqs.sort(), ['runtime', 'test']);
  });
  test('recipe: deeply nested flow YAML', () => {
    const out = timed(() => loadRecipeText(`pkg: deep/1.0.0\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 'deep.spk.yaml', [], OPTS));
    assert.equal(out.problems.length, 1);
    assert.equal(out.problems[0].line, 2);
    assert.match(out.problems[0].message, new RegExp(`nested too deeply \\(the limit is ${MAX_YAML_DEPTH} levels`));
  });
  test('recipe: nesting just over the limit (parsable, refused by our walk)', () => {
    const out = loadRecipeText(`pkg: deep/1.0.0\nx: ${'['.repeat(MAX_YAML_DEPTH + 5)}${']'.repeat(MAX_YAML_DEPTH + 5)}\n`, 'deep.spk.yaml', [], OPTS);
    assert.equal(out.problems.length, 1);
    assert.match(out.problems[0].message, /nested too deeply/);
  });
  test('workspace file: alias bomb and deep nesting are problems, not hangs', () => {
    for (const text of [BOMBS.yamlAlias[0].replace(/^a:/, 'recipes:'), `recipes: ${'['.repeat(5000)}${']'.repeat(5000)}\n`]) {
      const out = timed(() => parseWorkspaceFile(text, 'workspace.spk.yaml'));
      assert.equal(out.problems.length, 1, JSON.stringify(out.problems));
      assert.match(out.problems[0].message, /nodes through aliases|nested too deeply/);
    }
  });
  test('a text over the size limit is refused before parsing', () => {
    const out = timed(() => loadRecipeText(`pkg: big/1.0.0\n#${'x'.repeat(MAX_YAML_BYTES)}\n`, 'big.spk.yaml', [], OPTS));
    assert.equal(out.problems.length, 1);
    assert.match(out.problems[0].message, /the limit is 524288/);
  });
  test('template: nested loops run out of steps', () => {
    assert.throws(
      () => timed(() => renderTemplate('{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}', { options: {}, env: {}, file: 'loop.spk.yaml' })),
      (e: unknown) => e instanceof SpkError && e.file === 'loop.spk.yaml' && /more than 1000000 evaluation steps/.test(e.message),
    );
  });
  test('template: string repetition is refused like Tera (a parse error: Tera does math on numbers only)', () => {
    assert.throws(
      () => timed(() => renderTemplate('# ok\n{{ "x" * 2000000000 }}\n', { options: {}, env: {}, file: 'rep.spk.yaml' })),
      (e: unknown) => e instanceof SpkError && e.line === 2 && /Failed to parse/.test(e.message),
    );
    assert.equal(renderTemplate('{{ 3 * 4 }} {{ "a*b" }}', { options: {}, env: {} }), '12 a*b');
  });
});
