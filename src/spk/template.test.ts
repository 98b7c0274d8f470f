import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderTemplate, rustReplaceAll, expandOptions } from './template';
import { SpkError } from './errors';
import { fixtureStudio, vectorsFile } from '../../test-support/testing/repo-root';
import { loadSeeds } from '../../test-support/fuzz/corpus';

interface Vector { id: string; kind: string; [k: string]: unknown }
const vectors: Vector[] = JSON.parse(fs.readFileSync(vectorsFile(), 'utf8')).vectors;
const render = (t: string, options: Record<string, string> = {}) => renderTemplate(t, { options, env: {}, file: 'test.spk.yaml' });

describe('template.* vectors', () => {
  for (const v of vectors.filter((x) => x.kind.startsWith('template.'))) {
    test(`${v.id}`, () => {
      switch (v.kind) {
        case 'template.parse_version': {
          const field = v.field as string;
          // `parts[3]` / `post.r` are accessed on the object, plain fields via field=.
          const tpl = /^[a-z]+$/.test(field)
            ? `{{ "${v.input}" | parse_version(field="${field}") }}`
            : `{% set v = "${v.input}" | parse_version %}{{ v.${field} }}`;
          assert.equal(render(tpl), v.rendered);
          break;
        }
        case 'template.compare_version': {
          // The docs example passes `rhs=3` as a NUMBER (a string rhs keeps JSON quotes in spk).
          const rhs = v.rhs === undefined || v.rhs === null ? '' : `, rhs=${Number(v.rhs)}`;
          assert.equal(render(`{{ "${v.input}" | compare_version(op="${v.op}"${rhs}) }}`), String(v.rendered));
          break;
        }
        case 'template.default_opts': {
          const out = render(`{% set opt = opt | default_opts(${(v.call as string).replace(/^default_opts\(|\)$/g, '')}) %}{{ opt.name }}|{{ opt.version }}`, v.opt as Record<string, string>);
          const r = v.result as Record<string, string>;
          assert.equal(out, `${r.name}|${r.version}`);
          break;
        }
        case 'template.replace_regex':
          assert.equal(render(`{{ "${v.input}" | ${v.call} }}`), v.rendered);
          break;
        case 'template.namespaced_opt':
          assert.equal(render(v.template as string, v.options as Record<string, string>), `pkg: mypackage/${v.rendered_version}`);
          break;
        case 'template.undefined_variable':
          assert.throws(
            () => render(v.template as string, v.options as Record<string, string>),
            (e: unknown) => e instanceof SpkError && e.kind === 'template' && e.message.includes(v.error_contains as string),
          );
          break;
        default:
          assert.fail(`unhandled vector kind ${v.kind}`);
      }
    });
  }
});

describe('renderTemplate', () => {
  test('undefined variable names the expression, the file and the line', () => {
    assert.throws(
      () => renderTemplate('a: 1\nb: {{ opt.typo }}\n', { options: {}, env: {}, file: 'pkgs/x.spk.yaml' }),
      (e: unknown) =>
        e instanceof SpkError && e.file === 'pkgs/x.spk.yaml' && e.line === 2 && e.message.includes('Variable `opt.typo` not found'),
    );
  });
  test('undefined plain identifier in `if` is false (Tera 1 eval_as_bool)', () => {
    assert.equal(render('{% if opt.nope %}y{% else %}n{% endif %}'), 'n');
  });
  test('syntax errors name the line', () => {
    assert.throws(() => render('ok\n{% if %}\n'), (e: unknown) => e instanceof SpkError && e.line === 2);
  });
  test('filter errors become SpkError and the engine keeps working afterwards', () => {
    assert.throws(() => render('{{ "x.y" | compare_version(op=">=1") }}'), (e: unknown) => e instanceof SpkError && /compare_version/.test(e.message));
    assert.throws(() => render('{{ "1.0" | compare_version(op=">=", rhs="1") }}'), SpkError); // string rhs keeps quotes like spk
    assert.throws(() => render('{{ opt | default_opts(Bad_Name="1") }}'), SpkError);
    assert.equal(render('{{ 1 + 1 }}'), '2');
    assert.throws(() => render('a\nb: {{ "x" | parse_version }}\n'), (e: unknown) => e instanceof SpkError && e.line === 2);
  });
  test('`{% set %}` inside a YAML comment and trailing newline are kept like Tera', () => {
    const t = '# {% set opt = opt | default_opts(version="3.7.3") %}\npkg: python/{{ opt.version }}\n';
    assert.equal(render(t), '# \npkg: python/3.7.3\n');
    assert.equal(render(t, { version: '3.11.4' }), '# \npkg: python/3.11.4\n');
  });
  test('Tera string literals have no escapes: `\\d` reaches the regex', () => {
    const t = '{% set cpXX = opt.version | replace_regex(from="(\\d+)\\.(\\d+).*", to="cp$1$2") %}{{ cpXX }}m';
    assert.equal(render(t, { version: '3.10.2' }), 'cp310m');
  });
  test('env and spk.version are available; no auto-escaping of quotes', () => {
    assert.equal(renderTemplate('{{ env.HOME }} {{ spk.version }} {{ opt.q }}', { options: { q: 'a"b<c' }, env: { HOME: '/h' }, spkVersion: '9.9.9' }), '/h 9.9.9 a"b<c');
  });
  test('rustReplaceAll replacement syntax', () => {
    assert.equal(rustReplaceAll('2.3.4', '(\\d+)\\.(\\d+).*', '$1.$2'), '2.3');
    assert.equal(rustReplaceAll('ab', '(?P<x>a)', '${x}${x}'), 'aab');
    assert.equal(rustReplaceAll('ab', '(a)', '$1x'), 'b'); // `$1x` is the group named "1x" → empty
    assert.equal(rustReplaceAll('ab', 'a', '$$'), '$b');
    assert.equal(rustReplaceAll('AB', '(?i)a', 'z'), 'zB');
  });
  test('expandOptions nests namespaced options', () => {
    assert.deepEqual(expandOptions({ 'python.abi': 'cp37m', python: '3.7', debug: 'on' }), { python: { abi: 'cp37m' }, debug: 'on' });
  });
});

// The fixture studio's templated recipes follow the idioms of spk's packages/ tree
// (`{% set opt = opt | default_opts(version=...) %}` in a comment line, then `pkg: x/{{ opt.version }}`).
describe('templated fixture recipes render', () => {
  const files = [
    'packages/python/python3.spk.yaml',
    'packages/cmake/cmake.spk.yaml',
    'packages/gnu/gcc/gcc.spk.yaml',
  ];
  for (const f of files) {
    test(f, () => {
      const text = fs.readFileSync(path.join(fixtureStudio(), f), 'utf8');
      const out = render(text, { version: '1.2.3', os: 'linux', arch: 'x86_64', distro: 'rocky' });
      assert.match(out, /^(pkg|platform): [a-z0-9-]+\/1\.2\.3$/m);
      assert.doesNotMatch(out, /\{\{|\{%/);
      assert.equal(out.split('\n').length, text.split('\n').length); // Tera keeps the line structure here
    });
  }
});

describe('renderTemplate shortcuts', () => {
  test('text without tags is returned as is: the engine renders it to itself (corpus)', () => {
    const texts = loadSeeds().recipes.map((r) => r.text).filter((t) => !/\{[{%#]/.test(t));
    assert.ok(texts.length > 20, `${texts.length} tag-free recipes`);
    for (const text of texts) {
      assert.equal(renderTemplate(text, { options: {}, env: {} }), text);
      // the engine itself, forced by an empty expression at the end, agrees
      assert.equal(renderTemplate(`${text}{{ "" }}`, { options: {}, env: {} }), text);
    }
  });

  test('the environment is still there for templates that name env', () => {
    assert.equal(renderTemplate('a: {{ env.NX_SPK_T }}\n', { options: {}, env: { NX_SPK_T: 'x' } }), 'a: x\n');
    assert.throws(() => renderTemplate('a: {{ envx }}\n', { options: {}, env: { envx: 'x' } }), /envx/);
  });
});
