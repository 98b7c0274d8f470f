import { after, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { logger } from '@nx/devkit';
import { normalizeOptions } from './options';
import { resetReported } from './report';
import { computeWorkspaceGraph, isAcknowledgedCycle } from './workspace-graph';
import type { CachedRecipeFile } from './recipe-record';

describe('isAcknowledgedCycle', () => {
  const cycle = ['autoconf@2.71.0', 'gettext@0.21.0', 'autoconf@2.71.0'];
  const cases: Array<[string, string[], boolean]> = [
    ['as the warning prints it', ['autoconf@2.71.0 → gettext@0.21.0 → autoconf@2.71.0'], true],
    ['another rotation, ASCII arrow', ['gettext@0.21.0 -> autoconf@2.71.0'], true],
    ['package names only: any versions', ['autoconf → gettext → autoconf'], true],
    ['other versions', ['autoconf@2.69.0 → gettext@0.21.0 → autoconf@2.69.0'], false],
    ['another cycle', ['automake → autoconf → m4 → automake'], false],
    ['nothing acknowledged', [], false],
  ];
  for (const [name, ack, want] of cases) test(name, () => assert.equal(isAcknowledgedCycle(cycle, ack), want));
});

describe('acknowledgedCycles silences a known cycle, not a new one', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-cycles-'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('workspace.spk.yaml', 'recipes:\n  - pkgs/*/*.spk.yaml\n');
  const rec = (id: string, dep: string) => `pkg: ${id}\nbuild:\n  options:\n    - pkg: ${dep}\n  script: [make]\n`;
  write('pkgs/a/a.spk.yaml', rec('aa/1.0.0', 'bb'));
  write('pkgs/b/b.spk.yaml', rec('bb/1.0.0', 'aa'));
  write('pkgs/c/c.spk.yaml', rec('cc/1.0.0', 'dd'));
  write('pkgs/d/d.spk.yaml', rec('dd/1.0.0', 'cc'));
  const files = ['pkgs/a/a.spk.yaml', 'pkgs/b/b.spk.yaml', 'pkgs/c/c.spk.yaml', 'pkgs/d/d.spk.yaml', 'workspace.spk.yaml'];
  after(() => {
    mock.restoreAll();
    resetReported();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('aa → bb acknowledged: only cc ↔ dd warns; both are still resolved and recorded', () => {
    const warnings: string[] = [];
    resetReported();
    mock.method(logger, 'warn', (m: unknown) => void warnings.push(String(m)));
    const opts = normalizeOptions({ hostOptions: false, acknowledgedCycles: ['aa → bb → aa'] });
    const g = computeWorkspaceGraph(files, opts, root, new Map<string, CachedRecipeFile>(), {});
    const cycleWarnings = warnings.filter((w) => w.includes('dependency cycle resolved'));
    assert.equal(cycleWarnings.length, 1, cycleWarnings.join('\n'));
    assert.match(cycleWarnings[0], /cc@1\.0\.0/);
    assert.match(cycleWarnings[0], /acknowledge it with the plugin option acknowledgedCycles/);
    assert.ok(g.metadata.get('aa@1.0.0')!.cycles.length > 0, 'the acknowledged cycle is still recorded');
  });
});
