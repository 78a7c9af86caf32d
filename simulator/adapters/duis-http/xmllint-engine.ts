import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** One schema set, as xmllint reads it: the main schema first, the files it imports after. */
export interface SchemaFiles {
  readonly main: { readonly fileName: string; readonly contents: string };
  readonly preload: readonly { readonly fileName: string; readonly contents: string }[];
}

/** What one xmllint run said: its exit code and its complaints (stderr), one line each. */
export interface XmllintRun {
  readonly exitCode: number;
  readonly stderr: string;
}

const require = createRequire(import.meta.url);
const XMLLINT_DIR = join(require.resolve('xmllint-wasm'), '..');

/**
 * The worker's code, plain CommonJS so it runs the same under tsx, vitest and the built dist/.
 * xmllint-wasm's own validateXML starts a worker and compiles the 780 kB WebAssembly for every
 * call, and the code starts cold each time (seconds a call on a loaded machine). This worker
 * compiles the module once and instantiates it per run, so V8's optimised code for libxml2 is
 * kept between runs; the schema files are sent once. libxml2 itself is unchanged: each run is
 * `xmllint --schema S --noout FILES`, exactly what validateXML runs.
 */
const WORKER_SOURCE = `
const { readFileSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
// xmllint-node.js also listens on parentPort, for messages tagged 'xmllint-wasm'; ours are not.
const Module = require(workerData.glue);
const compiled = new WebAssembly.Module(readFileSync(workerData.wasm));
const schemas = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'schema') { schemas.set(m.id, m.files); return; }
  if (m.op !== 'run') return;
  let stderr = '';
  let done = false;
  const finish = (exitCode, extra) => {
    if (done) return;
    done = true;
    parentPort.postMessage({ op: 'ran', job: m.job, exitCode, stderr: stderr + (extra || '') });
  };
  const files = [...schemas.get(m.schema), ...m.xml];
  try {
    Module({
      inputFiles: files,
      arguments: m.args,
      print() {},
      printErr(text) { stderr += text + '\\n'; },
      onExit: (code) => finish(code),
      onAbort: (reason) => finish(-1, 'WASM Abort: ' + reason),
      wasmMemory: new WebAssembly.Memory({ initial: m.initialPages, maximum: m.maxPages }),
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(compiled, imports).then(
          (instance) => receive(instance),
          (err) => finish(-1, 'WASM instantiate: ' + err),
        );
        return {};
      },
    }).catch((err) =>
      // Emscripten ends main by throwing ExitStatus; onExit has normally told the code already.
      err && err.name === 'ExitStatus' ? finish(err.status) : finish(-1, String(err)),
    );
  } catch (err) {
    finish(-1, String(err));
  }
});
`;

interface Pending {
  resolve(run: XmllintRun): void;
  reject(err: unknown): void;
}

/**
 * One long-lived xmllint (libxml2 in WebAssembly) worker for the process, shared by every schema
 * loaded in it. It holds the process open only while a run is in flight.
 */
export class XmllintEngine {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly schemas = new Map<number, SchemaFiles>();
  private nextJob = 1;
  private nextSchema = 1;

  /** Registers a schema set with the worker; runs name it by the id returned. */
  addSchema(files: SchemaFiles): number {
    const id = this.nextSchema++;
    this.schemas.set(id, files);
    this.worker?.postMessage({ op: 'schema', id, files: flatten(files) });
    return id;
  }

  /** `xmllint --schema <schema's main> --noout <xml files>` on the shared worker. */
  run(
    schema: number,
    xml: readonly { fileName: string; contents: string }[],
    memory: { readonly initialPages: number; readonly maxPages: number },
  ): Promise<XmllintRun> {
    const files = this.schemas.get(schema);
    if (files === undefined) return Promise.reject(new Error(`xmllint: no schema ${schema}`));
    const worker = this.started();
    const job = this.nextJob++;
    const args = ['--schema', files.main.fileName, '--noout', ...xml.map((f) => f.fileName)];
    return new Promise<XmllintRun>((resolve, reject) => {
      this.pending.set(job, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ op: 'run', job, schema, xml, args, ...memory });
    });
  }

  private started(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { glue: join(XMLLINT_DIR, 'xmllint-node.js'), wasm: join(XMLLINT_DIR, 'xmllint.wasm') },
    });
    worker.unref();
    worker.on('message', (m: { op: string; job: number; exitCode: number; stderr: string }) => {
      if (m.op !== 'ran') return;
      const waiting = this.pending.get(m.job);
      this.pending.delete(m.job);
      if (this.pending.size === 0) worker.unref();
      waiting?.resolve({ exitCode: m.exitCode, stderr: m.stderr });
    });
    // A worker that dies fails the runs it held; the next run starts a fresh one.
    const lost = (err: unknown) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const waiting = [...this.pending.values()];
      this.pending.clear();
      for (const w of waiting) w.reject(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the xmllint worker stopped (exit ${code})`)));
    for (const [id, files] of this.schemas) worker.postMessage({ op: 'schema', id, files: flatten(files) });
    this.worker = worker;
    return worker;
  }
}

function flatten(files: SchemaFiles): { fileName: string; contents: string }[] {
  return [files.main, ...files.preload].map((f) => ({ fileName: f.fileName, contents: f.contents }));
}

/** The process's one engine (a worker per process, not per stack or per schema). */
export const xmllintEngine = new XmllintEngine();
