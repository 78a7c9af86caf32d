#!/usr/bin/env node
// Thin launcher: the CLI lives in harness/cli; `npm run build` compiles it to dist/ and bundles it
// into dist/bundle/ (esbuild.config.mjs), which starts in about half the CPU time.
const entry = new URL('../dist/bundle/trialsim.js', import.meta.url);
import(entry.href).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(entry.pathname)) {
    console.error('trialsim: not built yet. Run `npm run build` (or `npm start`) first.');
    process.exit(70);
  }
  throw err;
});
