#!/usr/bin/env node
// Lets this repository use its own build as an Nx plugin: nx.json lists "nx-spk" and Nx
// resolves plugins (and `nx-spk:spk-build` executors) from node_modules, so link
// node_modules/nx-spk → the repository root. Idempotent; never replaces a real install.
'use strict';
const { lstatSync, symlinkSync, mkdirSync, readlinkSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const link = join(root, 'node_modules', 'nx-spk');
try {
  const st = lstatSync(link);
  if (!st.isSymbolicLink()) {
    console.error(`link-self: ${link} exists and is not a symlink; leaving it alone`);
    process.exit(0);
  }
  if (resolve(join(root, 'node_modules'), readlinkSync(link)) === root) process.exit(0);
  console.error(`link-self: ${link} points elsewhere; leaving it alone`);
  process.exit(0);
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}
mkdirSync(join(root, 'node_modules'), { recursive: true });
symlinkSync('..', link, 'dir');
