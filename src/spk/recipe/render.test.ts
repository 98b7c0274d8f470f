import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecipeText, lineOfPath } from './render';
import { requestList } from './requirements';
import { asList } from './values';
import { pinStatementOf } from '../platform';
import { parseYaml } from '../recipe-yaml';
import { SpkError, keyPathText, type KeyPath } from '../errors';
import type { LoadRecipeOptions } from './types';

const HOST = { os: 'linux', arch: 'x86_64', distro: 'rocky', rocky: '9.3' };
const opts: LoadRecipeOptions = { workspaceRoot: '/ws', hostOptions: HOST, env: {} };

/**
 * A bad recipe → the one problem's line. The line comes from the SpkError's typed `path`
 * (`lineOfPath`), never from the message text; the message text is unchanged.
 */
const LINE_CASES: Array<{ name: string; text: string; line: number | undefined; message: RegExp }> = [
  {
    name: 'bad request in install.requirements[2] → that item',
    text: 'pkg: my-pkg/1.0.0\ninstall:\n  requirements:\n    - pkg: bb\n    - pkg: cc\n    - pkg: "Bad Name"\n',
    line: 6,
    message: /^install\.requirements\[2\]: /,
  },
  {
    name: 'install.requirements not a list → the value',
    text: 'pkg: my-pkg/1.0.0\ninstall:\n  requirements: nope\n',
    line: 3,
    message: /^install\.requirements must be a list$/,
  },
  {
    name: 'bad build option build.options[1] → that item',
    text: 'pkg: my-pkg/1.0.0\nbuild:\n  options:\n    - var: os\n    - {pkg: xx, var: yy}\n',
    line: 5,
    message: /^build\.options\[1\]: could not determine option type/,
  },
  {
    name: 'build.variants[0] not a mapping → that item',
    text: 'pkg: my-pkg/1.0.0\nbuild:\n  variants:\n    - just-text\n',
    line: 4,
    message: /^build\.variants\[0\] must be a mapping$/,
  },
  {
    name: 'bad variant value in build.variants[1] → that item',
    text: 'pkg: my-pkg/1.0.0\nbuild:\n  variants:\n    - {os: linux}\n    - {"gcc:run": "@@"}\n',
    line: 5,
    message: /^build\.variants\[1\]: invalid version range for package 'gcc'/,
  },
  {
    name: 'invalid test stage in tests[1] → that item',
    text: 'pkg: my-pkg/1.0.0\ntests:\n  - stage: build\n    script: []\n  - stage: deploy\n    script: []\n',
    line: 5,
    message: /^tests\[1\]: invalid stage 'deploy'/,
  },
  {
    name: 'bad request in tests[0].requirements[1] → that request (message keeps `tests[0][1]`)',
    text: 'pkg: my-pkg/1.0.0\ntests:\n  - stage: install\n    requirements:\n      - pkg: bb\n      - pkg: "B!"\n',
    line: 6,
    message: /^tests\[0\]\[1\]: /,
  },
  {
    name: 'bad request in a named component → that request (message names the component)',
    text: 'pkg: my-pkg/1.0.0\ninstall:\n  components:\n    - name: run\n      requirements:\n        - pkg: "B!"\n',
    line: 6,
    message: /^install\.components\[run\]\.requirements\[0\]: /,
  },
  {
    name: 'v1/platform requirements[1] not a mapping → that item',
    text: 'api: v1/platform\nplatform: my-plat/1.0.0\nrequirements:\n  - pkg: gcc\n  - gcc\n',
    line: 5,
    message: /^requirements\[1\] must be a mapping with 'pkg' or 'var'$/,
  },
  {
    name: 'v1/platform unknown field → its requirement item',
    text: 'api: v1/platform\nplatform: my-plat/1.0.0\nrequirements:\n  - pkg: gcc\n    atBiuld: false\n',
    line: 4,
    message: /^requirements\[0\]: unknown field 'atBiuld'/,
  },
  {
    name: 'v1/platform bad base[1] → that item',
    text: 'api: v1/platform\nplatform: my-plat/1.0.0\nbase:\n  - base-one\n  - "B!"\n',
    line: 5,
    message: /^base\[1\]: /,
  },
  {
    name: 'v0/platform bad requirements.remove pin → that item',
    text: 'api: v0/platform\nplatform: my-plat/1.0.0\nrequirements:\n  remove:\n    - pkg: "B!/1"\n',
    line: 5,
    message: /^requirements\.remove\[0\]: /,
  },
  {
    name: 'sources[0].exclude not a list → that value (message keeps `sources[].exclude`)',
    text: 'pkg: my-pkg/1.0.0\nsources:\n  - path: .\n    exclude: nope\n',
    line: 4,
    message: /^sources\[\]\.exclude must be a list$/,
  },
  {
    name: 'v0/platform bad request in requirements.add[1] → that item (message names `requirements`)',
    text: 'api: v0/platform\nplatform: my-plat/1.0.0\nrequirements:\n  add:\n    - pkg: bb\n    - pkg: "B!"\n',
    line: 6,
    message: /^requirements\[1\]: /,
  },
  {
    name: 'no key path (a scalar variant value of the wrong type has none of its own) → still the variant',
    text: 'pkg: my-pkg/1.0.0\nbuild:\n  variants:\n    - {os: [linux]}\n',
    line: 4,
    message: /^build\.variants\[0\]: variant values must be scalars/,
  },
  {
    name: 'a templated recipe whose rendering changed the line count → no line',
    text: 'pkg: my-pkg/1.0.0\n# {% for i in [1, 2] %}\n# repeated\n# {% endfor %}\ninstall:\n  requirements: nope\n',
    line: undefined,
    message: /^install\.requirements must be a list$/,
  },
];

describe('recipe problem lines come from the typed key path', () => {
  for (const c of LINE_CASES) {
    test(c.name, () => {
      const r = loadRecipeText(c.text, 'x.spk.yaml', [], opts);
      assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
      const [p] = r.problems;
      assert.match(p.message, c.message);
      assert.equal(p.line, c.line);
    });
  }
});

/** The readers set `path` on what they throw (message text is separate and unchanged). */
const PATH_CASES: Array<{ name: string; run: () => unknown; path: KeyPath; message: string }> = [
  {
    name: 'requestList: the bad item under the list',
    run: () => requestList(['bb', 'B!'], ['install', 'requirements'], 'runtime'),
    path: ['install', 'requirements', 1],
    message: 'install.requirements[1]: ',
  },
  {
    name: 'requestList: a source label that is not the path keeps its text',
    run: () => requestList(['B!'], ['tests', 3, 'requirements'], 'test', {}, 'tests[3]'),
    path: ['tests', 3, 'requirements', 0],
    message: 'tests[3][0]: ',
  },
  {
    name: 'asList: not a list',
    run: () => asList('x', ['build', 'options']),
    path: ['build', 'options'],
    message: 'build.options must be a list',
  },
  {
    name: 'pinStatementOf: a bad pkg',
    run: () => pinStatementOf('B!', undefined, ['requirements', 2]),
    path: ['requirements', 2],
    message: 'requirements[2]: ',
  },
];

describe('SpkError.path set by the recipe readers', () => {
  for (const c of PATH_CASES) {
    test(c.name, () => {
      assert.throws(c.run, (e: unknown) => {
        assert.ok(e instanceof SpkError);
        assert.deepEqual(e.path, c.path);
        assert.ok(e.reason.startsWith(c.message), e.reason);
        return true;
      });
    });
  }
  test('inFile keeps the path', () => {
    const e = new SpkError('recipe', 'r', { path: ['a', 0] }).inFile('f.yaml', 3);
    assert.deepEqual([e.path, e.file, e.line], [['a', 0], 'f.yaml', 3]);
  });
});

const TEXT_CASES: Array<{ name: string; path: KeyPath; text: string }> = [
  { name: 'keys joined by dots', path: ['build', 'options'], text: 'build.options' },
  { name: 'indexes in brackets', path: ['requirements', 'remove', 0], text: 'requirements.remove[0]' },
  { name: 'index then key', path: ['tests', 2, 'requirements'], text: 'tests[2].requirements' },
];
describe('keyPathText', () => {
  for (const c of TEXT_CASES) test(c.name, () => assert.equal(keyPathText(c.path), c.text));
});

const DOC = 'pkg: a/1\ninstall:\n  requirements:\n    - pkg: bb\n    - pkg: cc\n';
const LOOKUP_CASES: Array<{ name: string; path: KeyPath; line: number | undefined }> = [
  { name: 'an existing item', path: ['install', 'requirements', 1], line: 5 },
  { name: 'past the end → the deepest node that exists (the list)', path: ['install', 'requirements', 9], line: 4 },
  { name: 'nothing along the path exists', path: ['nope', 0], line: undefined },
];
describe('lineOfPath', () => {
  for (const c of LOOKUP_CASES) test(c.name, () => assert.equal(lineOfPath(c.path, parseYaml(DOC, 'f.yaml')), c.line));
});
