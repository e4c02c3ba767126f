#!/usr/bin/env node
// Thin launcher: everything lives in src/cli/main.ts (compiled to dist/ by `npm install`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
