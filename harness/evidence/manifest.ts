import type { RunResults, Verdict } from '../results/result-types.js';
import type { Application } from './application-file.js';
import type { SigningKeySource } from './signing-key.js';
import type { TraceChainHead } from './trace-chain.js';

/**
 * manifest.json: what the bundle is, what made it, and the SHA-256 of every file in it and of
 * every input that shaped it. Everything outside `nonReproducible` is a function of the seed, the
 * inputs and the software; `nonReproducible` holds the real clock and the machine.
 */
export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const ENVELOPE_FILE = 'manifest.dsse.json';

export interface HashedFile {
  /** Bundle file name, or an input's path relative to the working folder. */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface ManifestInputs {
  readonly scenarios: readonly HashedFile[];
  /** Device models, CPL and other fixture files the scenarios read (LoadedScenario.fixtures). */
  readonly fixtures: readonly HashedFile[];
  /** Every firmware image under fixtures/firmware/. */
  readonly firmware: readonly HashedFile[];
  readonly application?: HashedFile;
  readonly options: { readonly filter?: string; readonly bail: boolean };
}

export interface Manifest {
  readonly manifestVersion: typeof MANIFEST_VERSION;
  readonly tool: RunResults['tool'];
  readonly runId: string;
  readonly seed: string;
  readonly verdict: Verdict;
  readonly summary: RunResults['summary'];
  readonly application: Application | null;
  readonly inputs: ManifestInputs;
  /** Every file of the bundle except manifest.json and its envelope. */
  readonly files: readonly HashedFile[];
  readonly trace: TraceChainHead;
  readonly signing: {
    readonly envelope: typeof ENVELOPE_FILE;
    readonly format: 'DSSE v1 + in-toto Statement v1';
    readonly algorithm: 'ECDSA-P256-SHA256';
    readonly keyId: string;
    readonly keySource: SigningKeySource;
    readonly publicKey: string;
  };
  /** Differs between two runs with the same seed and inputs; kept apart on purpose. */
  readonly nonReproducible: {
    readonly startedAt: string;
    readonly realMs: number;
    readonly environment: {
      readonly node: string;
      readonly platform: string;
      readonly arch: string;
    };
  };
}

/** The signed statement's predicate: enough to check the bundle even if manifest.json is lost. */
export interface EvidencePredicate {
  readonly runId: string;
  readonly seed: string;
  readonly tool: RunResults['tool'];
  readonly verdict: Verdict;
  readonly trace: TraceChainHead;
  readonly keySource: SigningKeySource;
}
