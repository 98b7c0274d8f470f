#!/usr/bin/env node
'use strict';
console.log('nx-spk demo: not yet wired');
