import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { touchedByGraphChange, type GraphSummary } from './workspace-diff';

const g = (entries: Record<string, string[]>): GraphSummary => new Map(Object.entries(entries));

describe('touchedByGraphChange: what an edit of workspace.spk.yaml touches', () => {
  const before = g({ 'py@3.9.1': [], 'py@3.9.2': [], 'oiio@1.0.0': ['py@3.9.2'], 'app@1.0.0': ['oiio@1.0.0'], 'zlib@1.0.0': [] });
  const cases: Array<{ name: string; after: GraphSummary; want: string[] }> = [
    {
      name: 'a version added: it, the projects now resolving to it, their dependents',
      after: g({ 'py@3.9.1': [], 'py@3.9.2': [], 'py@3.9.3': [], 'oiio@1.0.0': ['py@3.9.3'], 'app@1.0.0': ['oiio@1.0.0'], 'zlib@1.0.0': [] }),
      want: ['app@1.0.0', 'oiio@1.0.0', 'py@3.9.3'],
    },
    {
      name: 'a version added that nothing resolves to: only it',
      after: g({ ...Object.fromEntries(before), 'zlib@0.9.0': [] }),
      want: ['zlib@0.9.0'],
    },
    {
      name: 'a version removed: the projects that resolved to it and their dependents',
      after: g({ 'py@3.9.1': [], 'oiio@1.0.0': ['py@3.9.1'], 'app@1.0.0': ['oiio@1.0.0'], 'zlib@1.0.0': [] }),
      want: ['app@1.0.0', 'oiio@1.0.0'],
    },
    { name: 'nothing changed (a comment): nothing', after: g(Object.fromEntries(before)), want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(touchedByGraphChange(before, c.after), c.want));
});
