#!/usr/bin/env node
// Thin launcher: the CLI lives in harness/cli and is compiled to dist/ by `npm run build`.
import('../dist/harness/cli/trialsim.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('trialsim: not built yet. Run `npm run build` (or `npm start`) first.');
    process.exit(70);
  }
  throw err;
});
