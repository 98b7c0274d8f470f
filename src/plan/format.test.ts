import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findMatchingProjects } from '@nx/devkit/internal';
import { fakeGraph, req } from './fixture.test';
import { formatDot } from './format-dot';
import { formatMermaid } from './format-mermaid';
import { alignColumns, formatReasons, formatTable } from './format-table';
import { assemblePlan } from './plan';
import { safeId } from './picture';
import { planGraphFromProjectGraph } from './project-graph';
import { selectProjects } from './selection';
import type { RepoListing } from './status';

/** base (published) ← lib ← app, plus two versions of one recipe; app needs gcc/9. */
function smallPlan(withSpk = true) {
  const nx = fakeGraph({
    'base@1.0.0': {},
    'lib@2.0.0': { deps: ['base@1.0.0'], recipe: 'recipes/lib.spk.yaml' },
    'lib@2.1.0': { deps: ['base@1.0.0'], recipe: 'recipes/lib.spk.yaml' },
    'app@1.0.0': { deps: ['lib@2.1.0'], requirements: [req('gcc', 'gcc/9', 'external')] },
  });
  const graph = planGraphFromProjectGraph(nx);
  const selection = selectProjects(graph, { mode: 'up-to', patterns: ['app@1.0.0', 'lib@2.0.0'] }, (p) =>
    findMatchingProjects([...p], nx.nodes),
  );
  const listings = new Map<string, RepoListing>([
    ['base', { origin: ['1.0.0'], local: [] }],
    ['lib', { origin: [], local: ['2.0.0'] }],
    ['app', { origin: [], local: [] }],
    ['gcc', { origin: ['9.3.0'], local: [] }],
  ]);
  return withSpk
    ? assemblePlan({ graph, selection, spk: { available: true, version: '0.44.0', bin: '/bin/spk' }, listings })
    : assemblePlan({ graph, selection, spk: { available: false, version: null, bin: null } });
}

describe('table', () => {
  test('aligned columns, plan order, externals', () => {
    assert.equal(
      formatTable(smallPlan()),
      [
        '4 recipe-versions in the plan, 3 to build in 2 waves, 1 published, 1 local, 2 build (spk 0.44.0)',
        '',
        'WAVE  PROJECT     STATUS     REASON',
        '1     lib@2.0.0   local      selected',
        '1     lib@2.1.0   build      dependency of app@1.0.0',
        '2     app@1.0.0   build      selected',
        '-     base@1.0.0  published  dependency of app@1.0.0, dependency of lib@2.0.0',
        '',
        'Externals (must already be published):',
        '  REQUEST  NEEDED BY  SPK SEES IT',
        '  gcc/9    app@1.0.0  yes (9.3.0)',
        '',
      ].join('\n'),
    );
  });

  test('without spk: says so in the summary; every row unknown', () => {
    const text = formatTable(smallPlan(false));
    assert.match(text.split('\n')[0], /spk not available: statuses unknown/);
    assert.match(text, /^1 +base@1\.0\.0 +unknown/m);
    assert.match(text, /gcc\/9 +app@1\.0\.0 +unknown/);
  });

  test('alignColumns pads all but the last column', () => {
    assert.deepEqual(alignColumns([['a', 'bb', 'c'], ['ddd', 'e', '']]), ['a    bb  c', 'ddd  e']);
  });

  test('many reasons are shortened', () => {
    const rs = ['a@1', 'b@1', 'c@1', 'd@1'].map((of) => ({ kind: 'dependency' as const, of }));
    assert.equal(formatReasons(rs), 'dependency of a@1, dependency of b@1 (+2 more)');
    assert.equal(formatReasons(rs.slice(0, 3)), 'dependency of a@1, dependency of b@1, dependency of c@1');
  });
});

describe('mermaid', () => {
  test('subgraph per recipe, build-order arrows, published greyed; exact text', () => {
    assert.equal(
      formatMermaid(smallPlan()),
      [
        'flowchart LR',
        '  subgraph r_recipes_2f_app_2e_spk_2e_yaml["recipes/app.spk.yaml"]',
        '    p_app_40_1_2e_0_2e_0["app@1.0.0<br/>wave 2: build"]',
        '  end',
        '  subgraph r_recipes_2f_base_2e_spk_2e_yaml["recipes/base.spk.yaml"]',
        '    p_base_40_1_2e_0_2e_0["base@1.0.0<br/>published"]',
        '  end',
        '  subgraph r_recipes_2f_lib_2e_spk_2e_yaml["recipes/lib.spk.yaml"]',
        '    p_lib_40_2_2e_0_2e_0["lib@2.0.0<br/>wave 1: local"]',
        '    p_lib_40_2_2e_1_2e_0["lib@2.1.0<br/>wave 1: build"]',
        '  end',
        '  p_base_40_1_2e_0_2e_0 --> p_lib_40_2_2e_0_2e_0',
        '  p_base_40_1_2e_0_2e_0 --> p_lib_40_2_2e_1_2e_0',
        '  p_lib_40_2_2e_1_2e_0 --> p_app_40_1_2e_0_2e_0',
        '  classDef published fill:#ddd,color:#888',
        '  classDef error fill:#fdd,stroke:#c00',
        '  classDef cycle stroke:#c00,stroke-width:3px',
        '  class p_base_40_1_2e_0_2e_0 published',
        '',
      ].join('\n'),
    );
  });

  test('label characters that mermaid would parse are entity-coded', () => {
    const nx = fakeGraph({ 'a@1.0.0': { recipe: 'odd "dir"/<a>#.spk.yaml' } });
    const graph = planGraphFromProjectGraph(nx);
    const selection = selectProjects(graph, { mode: 'all' }, () => []);
    const text = formatMermaid(assemblePlan({ graph, selection, spk: { available: false, version: null, bin: null } }));
    assert.match(text, /\["odd #34;dir#34;\/#60;a#62;#35;\.spk\.yaml"\]/);
  });

  test('cycle members get the cycle class', () => {
    const nx = fakeGraph({ 'a@1.0.0': { deps: ['b@1.0.0'] }, 'b@1.0.0': { deps: ['a@1.0.0'] } });
    const graph = planGraphFromProjectGraph(nx);
    const selection = selectProjects(graph, { mode: 'all' }, () => []);
    const text = formatMermaid(assemblePlan({ graph, selection, spk: { available: false, version: null, bin: null } }));
    assert.match(text, /wave 1 \(cycle\): unknown/);
    assert.match(text, /class p_a_40_1_2e_0_2e_0,p_b_40_1_2e_0_2e_0 cycle/);
  });
});

describe('dot', () => {
  test('cluster per recipe, build-order edges, published greyed; exact text', () => {
    assert.equal(
      formatDot(smallPlan()),
      [
        'digraph plan {',
        '  rankdir=LR;',
        '  node [shape=box];',
        '  subgraph cluster_recipes_2f_app_2e_spk_2e_yaml {',
        '    label="recipes/app.spk.yaml";',
        '    "app@1.0.0" [label="app@1.0.0\\nwave 2: build"];',
        '  }',
        '  subgraph cluster_recipes_2f_base_2e_spk_2e_yaml {',
        '    label="recipes/base.spk.yaml";',
        '    "base@1.0.0" [label="base@1.0.0\\npublished", style=filled, fillcolor="#dddddd", fontcolor="#888888", color="#888888"];',
        '  }',
        '  subgraph cluster_recipes_2f_lib_2e_spk_2e_yaml {',
        '    label="recipes/lib.spk.yaml";',
        '    "lib@2.0.0" [label="lib@2.0.0\\nwave 1: local"];',
        '    "lib@2.1.0" [label="lib@2.1.0\\nwave 1: build"];',
        '  }',
        '  "base@1.0.0" -> "lib@2.0.0";',
        '  "base@1.0.0" -> "lib@2.1.0";',
        '  "lib@2.1.0" -> "app@1.0.0";',
        '}',
        '',
      ].join('\n'),
    );
  });
});

test('safeId is one-to-one and uses only [A-Za-z0-9_]', () => {
  const inputs = ['a_b@1', 'a-b@1', 'a@1_', 'a@1-', 'a@1.0', 'a@1,0'];
  const ids = inputs.map((s) => safeId('p_', s));
  assert.equal(new Set(ids).size, inputs.length);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_]+$/);
});
