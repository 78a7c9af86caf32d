import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DuisTlsCredentials,
  generateDuisTlsCredentials,
} from '../../../../simulator/pki/duis-tls-credentials.js';

let first: DuisTlsCredentials;
let again: DuisTlsCredentials;
let otherSeed: DuisTlsCredentials;

beforeAll(async () => {
  first = await generateDuisTlsCredentials('tls-seed-1');
  again = await generateDuisTlsCredentials('tls-seed-1');
  otherSeed = await generateDuisTlsCredentials('tls-seed-2');
});

describe('the DUIS endpoint TLS credentials from the seed', () => {
  it('the same seed gives byte-identical CA, server certificate and key', () => {
    expect(again).toEqual(first);
  });

  it('another seed gives another CA, server certificate and key', () => {
    expect(otherSeed.caPem).not.toBe(first.caPem);
    expect(otherSeed.certPem).not.toBe(first.certPem);
    expect(otherSeed.keyPem).not.toBe(first.keyPem);
    const a = new X509Certificate(first.caPem);
    const b = new X509Certificate(otherSeed.caPem);
    expect(b.publicKey.equals(a.publicKey)).toBe(false);
    expect(b.serialNumber).not.toBe(a.serialNumber);
  });

  it('the server certificate chains to the CA, which is a CA that signed itself', () => {
    const ca = new X509Certificate(first.caPem);
    const server = new X509Certificate(first.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    // Not by accident: another seed's CA did not sign it.
    expect(server.verify(new X509Certificate(otherSeed.caPem).publicKey)).toBe(false);
  });

  it('the server certificate names the loopback addresses and localhost', () => {
    const server = new X509Certificate(first.certPem);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBeDefined();
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('10.0.0.1')).toBeUndefined();
    expect(server.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
  });

  it('the key is the private half of the server certificate', () => {
    const server = new X509Certificate(first.certPem);
    const fromKey = createPublicKey(createPrivateKey(first.keyPem)).export({ type: 'spki', format: 'der' });
    expect(fromKey.equals(server.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('names the address up binds as well, but not the all-interfaces address no client dials', async () => {
    const bound = await generateDuisTlsCredentials('tls-seed-1', ['192.0.2.7', 'dcc.test']);
    const server = new X509Certificate(bound.certPem);
    expect(server.checkIP('192.0.2.7')).toBe('192.0.2.7');
    expect(server.checkHost('dcc.test')).toBe('dcc.test');
    expect(bound.caPem).toBe(first.caPem);
    const wildcard = await generateDuisTlsCredentials('tls-seed-1', ['0.0.0.0']);
    expect(wildcard.certPem).toBe(first.certPem);
    expect(new X509Certificate(wildcard.certPem).checkIP('0.0.0.0')).toBeUndefined();
  });
});
