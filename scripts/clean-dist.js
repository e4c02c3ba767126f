#!/usr/bin/env node
// Part of npm's `prepack` hook (then `npm run build`): empties dist/ so the tarball holds only what
// this build compiles, not files left by sources since deleted or renamed.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
