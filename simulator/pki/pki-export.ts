import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Eui } from '../domain/eui.js';
import { p256Pkcs8Pem } from '../domain/smki/key-encoding.js';
import type { RemotePartyRole } from '../domain/smki/remote-party-roles.js';
import type { IssuedCertificate, TestPki } from './test-pki.js';

/** One line of `index.json`: what a file holds and whose it is. */
export interface PkiIndexEntry {
  readonly file: string;
  readonly contents: 'certificate' | 'privateKey';
  readonly partyKind: 'root' | 'issuingCa' | 'organisation' | 'device';
  /** `root-ca`, `issuing-ca`, the organisation's name, or the device's EUI. */
  readonly party: string;
  readonly eui?: Eui;
  readonly role?: RemotePartyRole;
  /** The certificate's key usage bits: one for SMKI end entities, keyCertSign + cRLSign for CAs. */
  readonly keyUsage: readonly string[];
  readonly serialNumber: string;
}

/** Kebab-case ids only: safe as file names everywhere and free of path separators. */
const SAFE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 64;
const CA_KEY_USAGE = ['keyCertSign', 'cRLSign'] as const;

interface PendingFile {
  readonly entry: PkiIndexEntry;
  readonly text: string;
}

function credentialFiles(
  stem: string,
  certificate: IssuedCertificate,
  party: Omit<PkiIndexEntry, 'file' | 'contents' | 'keyUsage' | 'serialNumber'>,
): PendingFile[] {
  const common = { ...party, keyUsage: [certificate.keyUsage], serialNumber: certificate.serialNumber };
  return [
    { entry: { file: `${stem}.pem`, contents: 'certificate', ...common }, text: certificate.pem },
    {
      entry: { file: `${stem}.key.pem`, contents: 'privateKey', ...common },
      text: p256Pkcs8Pem(certificate.keys),
    },
  ];
}

function plannedFiles(pki: TestPki): PendingFile[] {
  const files: PendingFile[] = [
    {
      entry: {
        file: 'root-ca.pem',
        contents: 'certificate',
        partyKind: 'root',
        party: 'root-ca',
        role: 'root',
        keyUsage: CA_KEY_USAGE,
        serialNumber: pki.root.serialNumber,
      },
      text: pki.root.pem,
    },
    {
      entry: {
        file: 'issuing-ca.pem',
        contents: 'certificate',
        partyKind: 'issuingCa',
        party: 'issuing-ca',
        role: 'issuingAuthority',
        keyUsage: CA_KEY_USAGE,
        serialNumber: pki.issuingCa.serialNumber,
      },
      text: pki.issuingCa.pem,
    },
  ];
  for (const { name, eui, role, ds, ka, xmlSign } of pki.organisations) {
    if (!SAFE_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
      throw new Error(
        `exportPki: organisation name "${name}" is not safe as a file name; use a kebab-case id of at most ` +
          `${MAX_NAME_LENGTH} characters (lower-case letters, digits, single hyphens), e.g. "supplier-a"`,
      );
    }
    const party = { partyKind: 'organisation', party: name, eui, role } as const;
    files.push(...credentialFiles(`${name}-ds`, ds, party), ...credentialFiles(`${name}-ka`, ka, party));
    // The XmlSign certificate that signs the party's DUIS XML (DUIS.md §7).
    if (xmlSign !== undefined) files.push(...credentialFiles(`${name}-xml-sign`, xmlSign, party));
  }
  for (const { eui, ds, ka } of pki.devices) {
    const stem = `device-${eui.replaceAll('-', '')}`;
    const party = { partyKind: 'device', party: eui, eui } as const;
    files.push(...credentialFiles(`${stem}-ds`, ds, party), ...credentialFiles(`${stem}-ka`, ka, party));
  }
  // Case-insensitive file systems (macOS, Windows) would merge e.g. an organisation called
  // "device-90b3…" with a device's upper-case file: refuse before writing anything.
  const seen = new Map<string, string>();
  for (const { entry } of files) {
    const folded = entry.file.toLowerCase();
    const clash = seen.get(folded);
    if (clash !== undefined) throw new Error(`exportPki: ${entry.file} and ${clash} would be the same file`);
    seen.set(folded, entry.file);
  }
  return files;
}

/**
 * Writes every certificate (PEM) and private key (PKCS#8 PEM) of the test PKI into `dir`, plus an
 * `index.json` describing each file, so tools outside trialsim (openssl, a DCC Boxed keystore) can
 * use the same credentials. Creates `dir` if needed; validates every name before writing any file.
 * Returns the paths written, `index.json` last.
 */
export async function exportPki(pki: TestPki, dir: string): Promise<string[]> {
  const files = plannedFiles(pki);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const { entry, text } of files) {
    const path = join(dir, entry.file);
    // Private keys readable by the owner only, out of habit: even test keys end up in shared places.
    await writeFile(path, text, entry.contents === 'privateKey' ? { mode: 0o600 } : {});
    written.push(path);
  }
  const indexPath = join(dir, 'index.json');
  const index = { seed: pki.seed, files: files.map(({ entry }) => entry) };
  await writeFile(indexPath, `${JSON.stringify(index, null, 2)}\n`);
  written.push(indexPath);
  return written;
}
