import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Eui, parseEui } from '../../../simulator/domain/eui.js';
import { exportPki, type PkiIndexEntry } from '../../../simulator/pki/pki-export.js';
import { generateTestPki, type PkiSpec, type TestPki } from '../../../simulator/pki/test-pki.js';

const OPENSSL = '/usr/bin/openssl';

const SPEC: PkiSpec = {
  seed: 'export-test',
  notBefore: Date.UTC(2025, 0, 1),
  organisations: [
    { name: 'supplier-a', eui: parseEui('90-B3-D5-1F-30-01-00-00'), role: 'supplier' },
    { name: 'dno', eui: parseEui('90-B3-D5-1F-30-02-00-00'), role: 'networkOperator' },
  ],
  devices: [parseEui('00-0D-6F-00-00-A1-00-01'), parseEui('00-0D-6F-00-00-A1-00-02')],
};

function openssl(...args: string[]): string {
  return execFileSync(OPENSSL, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let pki: TestPki;
let dir: string;
let written: string[];
let index: { seed: string; files: PkiIndexEntry[] };

beforeAll(async () => {
  pki = await generateTestPki(SPEC);
  dir = await mkdtemp(join(tmpdir(), 'trialsim-pki-'));
  written = await exportPki(pki, join(dir, 'nested', 'pki'));
  index = JSON.parse(await readFile(join(dir, 'nested', 'pki', 'index.json'), 'utf8'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exportPki', () => {
  it('creates the directory and writes exactly the files index.json lists, plus index.json', async () => {
    const out = join(dir, 'nested', 'pki');
    expect((await readdir(out)).sort()).toEqual([...index.files.map((f) => f.file), 'index.json'].sort());
    expect(written).toEqual([...index.files.map((f) => join(out, f.file)), join(out, 'index.json')]);
    expect(index.seed).toBe(SPEC.seed);
  });

  it('names files root-ca, issuing-ca, <org>-ds/-ka[.key].pem and device-<EUI>-ds/-ka[.key].pem', () => {
    const names = index.files.map((f) => f.file);
    expect(names).toEqual(
      expect.arrayContaining([
        'root-ca.pem',
        'issuing-ca.pem',
        'supplier-a-ds.pem',
        'supplier-a-ds.key.pem',
        'supplier-a-ka.pem',
        'supplier-a-ka.key.pem',
        'device-000D6F0000A10001-ds.pem',
        'device-000D6F0000A10001-ka.key.pem',
      ]),
    );
    // 2 CA certificates + (2 organisations + 2 devices) × 2 usages × (certificate + key).
    expect(names).toHaveLength(2 + 4 * 2 * 2);
  });

  it('index.json records party, EUI, role and key usage for every file', () => {
    const entry = index.files.find((f) => f.file === 'dno-ka.key.pem');
    expect(entry).toMatchObject({
      contents: 'privateKey',
      partyKind: 'organisation',
      party: 'dno',
      eui: '90-B3-D5-1F-30-02-00-00',
      role: 'networkOperator',
      keyUsage: ['keyAgreement'],
      serialNumber: pki.organisation('dno').ka.serialNumber,
    });
    const device = index.files.find((f) => f.file === 'device-000D6F0000A10002-ds.pem');
    expect(device).toMatchObject({
      partyKind: 'device',
      eui: '00-0D-6F-00-00-A1-00-02',
      keyUsage: ['digitalSignature'],
    });
    expect(index.files.find((f) => f.file === 'root-ca.pem')?.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
  });

  it('openssl reads every exported certificate and shows its one critical key usage', () => {
    for (const entry of index.files.filter((f) => f.contents === 'certificate')) {
      const text = openssl('x509', '-in', join(dir, 'nested', 'pki', entry.file), '-text', '-noout');
      expect(text).toMatch(/X509v3 Key Usage: critical/);
      expect(text).toContain('ecdsa-with-SHA256');
      if (entry.keyUsage[0] === 'digitalSignature') expect(text).toMatch(/critical\s+Digital Signature\n/);
      if (entry.keyUsage[0] === 'keyAgreement') expect(text).toMatch(/critical\s+Key Agreement\n/);
      if (entry.partyKind === 'device') {
        expect(text).toMatch(/Subject Alternative Name: critical\s+othername: 1\.3\.6\.1\.5\.5\.7\.8\.4/);
      }
      if (entry.partyKind === 'organisation')
        expect(text).toMatch(/Subject: CN = \S+, OU = 0[23], x500UniqueIdentifier/);
    }
  });

  it('openssl verifies every certificate chain to the root', () => {
    const out = join(dir, 'nested', 'pki');
    const leaves = index.files.filter((f) => f.contents === 'certificate' && f.partyKind !== 'root');
    const result = openssl(
      'verify',
      '-CAfile',
      join(out, 'root-ca.pem'),
      '-untrusted',
      join(out, 'issuing-ca.pem'),
      ...leaves.map((f) => join(out, f.file)),
    );
    expect(result.trim().split('\n')).toEqual(leaves.map((f) => `${join(out, f.file)}: OK`));
  });

  it('every private key file is PKCS#8 PEM, owner-only, and matches its certificate', async () => {
    const out = join(dir, 'nested', 'pki');
    for (const entry of index.files.filter((f) => f.contents === 'privateKey')) {
      const path = join(out, entry.file);
      const pem = await readFile(path, 'utf8');
      expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect((await stat(path)).mode & 0o077).toBe(0);
      openssl('pkey', '-in', path, '-noout');
      const certificatePem = await readFile(path.replace(/\.key\.pem$/, '.pem'), 'utf8');
      const fromKey = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
      const fromCertificate = createPublicKey(certificatePem).export({ type: 'spki', format: 'der' });
      expect(fromKey.equals(fromCertificate)).toBe(true);
    }
  });

  it('rejects an organisation name unsafe for a file name, before writing anything', async () => {
    for (const [i, name] of ['../escape', 'Supplier A', 'a/b', '', 'x'.repeat(65), 'a--b'].entries()) {
      const unsafe = { ...pki, organisations: [{ ...pki.organisation('dno'), name }] };
      const target = join(dir, `unsafe-${i}`);
      await expect(exportPki(unsafe, target)).rejects.toThrow(/not safe as a file name.*kebab-case/);
      await expect(stat(target)).rejects.toThrow();
    }
  });

  it('rejects two parties whose files would collide on a case-insensitive file system', async () => {
    const eui = SPEC.devices[0] as Eui;
    const clash = {
      ...pki,
      organisations: [
        { ...pki.organisation('dno'), name: `device-${eui.replaceAll('-', '').toLowerCase()}` },
      ],
    };
    await expect(exportPki(clash, join(dir, 'clash'))).rejects.toThrow(/would be the same file/);
  });
});
