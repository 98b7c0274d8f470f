#!/usr/bin/env node
'use strict';
require('../dist/src/cli/nx-spk.js').main();
