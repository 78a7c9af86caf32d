// The CLI as one bundle: `npm run build` compiles the TypeScript into dist/ (tsc), then this file
// bundles the compiled CLI and the two programs it forks into dist/bundle/, which bin/trialsim.js
// runs. Node 20 resolves, reads and compiles every ES module on its own: as some 700 compiled
// modules the CLI spent most of a second of CPU on that before it did anything. Bundled (least CPU
// of 5 runs, 2-core machine at load 5): `validate` of one file 1.34 s -> 0.71 s, `gbcs decode
// --help` 0.74 s -> 0.38 s, `run` of commissioning.yaml 2.21 s -> 1.69 s.
// Code splitting keeps each command's code in its own chunk, loaded only when that command runs,
// as harness/cli/main.ts intends.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a content hash: a previous build's chunks would otherwise stay and be packed.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: {
    trialsim: 'dist/harness/cli/trialsim.js',
    // Forked by harness/suite/worker-pool.ts and harness/fleet/fleet.ts from beside their own
    // chunk (`new URL('./scenario-worker.js', import.meta.url)`): all of them in one folder.
    'scenario-worker': 'dist/harness/suite/scenario-worker.js',
    'fleet-worker': 'dist/harness/fleet/fleet-worker.js',
  },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Error messages name classes (der-values.ts reports an ASN.1 node by its constructor's name).
  keepNames: true,
  // Left to node_modules at run time: packages that read files beside their own code (the
  // libxml2 WebAssembly, ctrf's JSON schemas, Chromium's driver) or load native add-ons
  // (serialport, cbor-x's optional extractor). GPL test oracles are never bundled (package.json).
  external: [
    'libxml2-wasm',
    'ctrf',
    'playwright-core',
    'serialport',
    '@serialport/*',
    'cbor-extract',
    '@smartdcc/*',
  ],
  // Bundled CommonJS packages call require() for node's own modules; an ES module has none.
  banner: {
    js: "import { createRequire as __trialsimCreateRequire } from 'node:module'; const require = __trialsimCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
