import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSeeds } from '../../test-support/fuzz/corpus';
import { BOMBS, substituteIntoLines } from '../../test-support/fuzz/mutate';
import { Random } from '../../test-support/fuzz/random';
import { parseRawYaml, parseRenderedYaml, parseYamlDocument } from './recipe-yaml';
import { renderTemplate } from './template';
import { fastYamlData } from './yaml-fast';

/** The slow (canonical) reading, or 'error'. */
function slow(text: string): unknown {
  try {
    return parseYamlDocument(text, 'x.spk.yaml').data;
  } catch {
    return 'error';
  }
}

describe('fastYamlData: same data as the `yaml` Document path', () => {
  const table: Array<[string, string, unknown]> = [
    ['plain number keeps its text', 'a: 3.10\n', { a: '3.10' }],
    ['int', 'a: 007\n', { a: '007' }],
    ['hex int', 'a: 0x1F\n', { a: '0x1F' }],
    ['exponent', 'a: 1e3\n', { a: '1e3' }],
    ['infinity', 'a: .inf\n', { a: '.inf' }],
    ['quoted number', 'a: "3.10"\n', { a: '3.10' }],
    ['true', 'a: true\n', { a: true }],
    ['True is a string to serde_yaml 0.9 (only true/false are bools)', 'a: True\n', { a: 'True' }],
    ['FALSE is a string to serde_yaml 0.9', 'a: FALSE\n', { a: 'FALSE' }],
    ['yes is a string in YAML 1.2', 'a: yes\n', { a: 'yes' }],
    ['on is a string in YAML 1.2', 'a: on\n', { a: 'on' }],
    ['tilde', 'a: ~\n', { a: null }],
    ['empty value', 'a:\n', { a: null }],
    ['Null is a string to serde_yaml 0.9 (only ~, null and empty are null)', 'a: Null\n', { a: 'Null' }],
    ['null key', '~: 1\n', { null: '1' }],
    ['bool key', 'true: 1\n', { true: '1' }],
    ['merge key is an ordinary key', 'b: &x {c: 1}\na:\n  <<: *x\n', { b: { c: '1' }, a: { '<<': { c: '1' } } }],
    ['alias', 'a: &v [1, 2]\nb: *v\n', { a: ['1', '2'], b: ['1', '2'] }],
    ['block scalar', 'script:\n  - |\n    make\n    make install\n', { script: ['make\nmake install\n'] }],
    ['folded', 'a: >\n  x\n  y\n', { a: 'x y\n' }],
    ['empty document', '', null],
    ['comment only', '# nothing\n', null],
    ['flow map', 'a: {b: [1, "2", c]}\n', { a: { b: ['1', '2', 'c'] } }],
    ['request strings', 'install:\n  requirements:\n    - pkg: python/~3.7\n    - var: python.abi/cp37m\n', { install: { requirements: [{ pkg: 'python/~3.7' }, { var: 'python.abi/cp37m' }] } }],
  ];
  for (const [name, text, want] of table) {
    test(name, () => {
      const fast = fastYamlData(text);
      assert.ok(fast, 'the fast path takes it');
      assert.deepEqual(fast.data, want);
      assert.deepEqual(slow(text), want, 'and the slow path agrees');
    });
  }

  const refused: Array<[string, string]> = [
    ['duplicate key', 'a: 1\na: 2\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['complex key', '? [a, b]\n: 1\n'],
    ['unknown alias', 'a: *nope\n'],
    ['tab indentation', 'a:\n\tb: 1\n'],
    ['alias bomb', BOMBS.yamlAlias[0]],
    ['self alias', BOMBS.yamlAlias[1]],
    ['deep nesting', BOMBS.yamlDeep[0]],
  ];
  for (const [name, text] of refused) {
    test(`leaves to the slow path: ${name}`, () => {
      assert.equal(fastYamlData(text), undefined);
    });
  }

  test('the raw corpus: js-yaml reads nearly every file `yaml` accepts to the same data', () => {
    const seeds = loadSeeds();
    const texts = [...seeds.recipes.map((r) => r.text), ...seeds.workspaces];
    assert.ok(texts.length > 30, `corpus found (${texts.length} files)`);
    let agrees = 0;
    let yamlOk = 0;
    for (const text of texts) {
      let raw;
      try {
        raw = parseRawYaml(text, 'x.spk.yaml');
      } catch {
        continue; // the canonical parser refuses it: no fast path question
      }
      yamlOk++;
      if (raw.fastAgrees) agrees++;
    }
    assert.ok(agrees > yamlOk * 0.9, `js-yaml agrees on ${agrees} of ${yamlOk}`);
  });

  test('rendered versions of the corpus read the same on the fast path as on the canonical one', () => {
    const seeds = loadSeeds();
    let fastTaken = 0;
    let compared = 0;
    for (const { text } of seeds.recipes) {
      if (!/opt\.version/.test(text)) continue;
      let raw;
      try {
        raw = parseRawYaml(text, 'x.spk.yaml');
      } catch {
        continue;
      }
      for (const v of ['1.2.3', '3.11.5', '2024.1.0-rc.1']) {
        let rendered: string;
        try {
          rendered = renderTemplate(text, { options: { version: v, os: 'linux', arch: 'x86_64', distro: 'rocky' }, env: {}, file: 'x' });
        } catch {
          continue;
        }
        compared++;
        const got = parseRenderedYaml(rendered, raw, 'x.spk.yaml');
        if (got.via === 'fast') fastTaken++;
        assert.deepEqual(got.data, slow(rendered), rendered.slice(0, 200));
      }
    }
    assert.ok(compared > 20, `${compared} rendered versions compared`);
    assert.ok(fastTaken > compared * 0.5, `fast path took ${fastTaken} of ${compared}`);
  });

  // 300 draws here; the long run of the same property is the fuzz target (`npm run fuzz`).
  test('template substitutions of YAML tokens: whatever the fast path accepts, the canonical parser reads the same', () => {
    const seeds = loadSeeds();
    const rng = new Random(20261128);
    const recipes = seeds.recipes.map((r) => r.text);
    let accepted = 0;
    let viaFast = 0;
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const text = rng.pick(recipes);
      let raw;
      try {
        raw = parseRawYaml(text, 'x.spk.yaml');
      } catch {
        continue;
      }
      // What a template could output in a value position (`key: {{ … }}`): any mix of YAML
      // tokens, put into 1-3 values of the raw text.
      const rendered = substituteIntoLines(rng, text);
      if (rendered === undefined) continue;
      checked++;
      let got;
      try {
        got = parseRenderedYaml(rendered, raw, 'x.spk.yaml');
      } catch {
        assert.equal(slow(rendered), 'error', 'a refusal comes from the canonical parser');
        continue;
      }
      accepted++;
      if (got.via === 'fast') viaFast++;
      assert.deepEqual(got.data, slow(rendered), JSON.stringify(rendered));
    }
    // the property is exercised on the fast path itself, not only on its fallback
    assert.ok(checked > 200 && accepted > 60 && viaFast > 20, `${accepted} accepted of ${checked}, ${viaFast} on the fast path`);
  });
});
