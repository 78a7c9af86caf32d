/**
 * The simulator's test PKI.
 *
 * The public entry: harness/ imports this layer only through this file (the layer rule in
 * biome.json; docs/architecture.md). It exports what the harness uses; files inside
 * simulator/ import each other directly. A harness file that needs more adds it here.
 */
export { type DuisTlsCredentials, generateDuisTlsCredentials } from './duis-tls-credentials.js';
export { exportPki } from './pki-export.js';
export {
  deriveDeviceDsKeys,
  deriveDeviceKaKeys,
  generateTestPki,
  type OrganisationCredentials,
  type TestPki,
} from './test-pki.js';
