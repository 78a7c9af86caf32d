import { describe, expect, it } from 'vitest';
import { cborContentCodec } from '../../../../../../simulator/adapters/wire/envelope.js';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import {
  readAlertContent,
  writeAlertContent,
} from '../../../../../../simulator/domain/services/content/wire-content.js';
import { toHex } from '../../gbcs/gbcs-fixtures.js';

const device = '00-DB-12-34-56-78-90-A0' as Eui;
const context = { counter: 0x1234n, now: Date.parse('2015-01-01T00:00:00Z'), device };
const KEY = `04${'11'.repeat(64)}`;

/** A device's body for a failed replacement of the Supplier's DS cell (status 5, badCertificate). */
const failed = {
  status: 'failure',
  replacementMode: 'supplierBySupplier',
  results: [{ role: 'supplier', keyUsage: 'digitalSignature', cellUsage: 'management', eui: '', status: 5 }],
  commandCounter: 1000,
  executionDateTime: '2030-01-15T00:00:00.000Z',
};

describe('0x00CB on the device wire: a future-dated CS02b outcome as DER (GBCS.md §7.8)', () => {
  it('30 ‖ len { alert code, GeneralizedTime, the CS02b execution outcome with the command counter as [3] }', () => {
    const bytes = writeAlertContent(0x00cb, '0x8F67', failed, context, cborContentCodec);
    const time = Buffer.from('20300115000000Z').toString('hex');
    expect(toHex(bytes)).toBe(
      [
        '303d', // 61 bytes: the shortest length form (GBCS.md §1)
        '0203008f67', // INTEGER 0x8F67 (GBCS.md §6.2)
        `180f${time}`, // GeneralizedTime: when it was to run
        '30820023', // the execution outcome, in RTDS's two-byte long form (GBCS.md §7.8)
        '020203e8', // authorising remote party sequence number: the command's counter, 1000
        '020102', // mode 2 supplierBySupplier
        '3000', // no floor change: nothing was replaced
        '30820016', // the replacement outcomes
        '3014', // one: the Supplier's DS cell, status 5 badCertificate, no subject or key IDs
        '3007020102030207800a01050400040004000400',
      ].join(''),
    );
    expect(readAlertContent(0x00cb, bytes, 0, cborContentCodec)).toEqual({
      alertCode: '0x8F67',
      status: 'failure',
      replacementMode: 'supplierBySupplier',
      results: [
        { role: 'supplier', keyUsage: 'digitalSignature', cellUsage: 'management', eui: '', status: 5 },
      ],
      commandCounter: 1000,
      executionDateTime: '2030-01-15T00:00:00.000Z',
    });
  });

  it('a success names the new subject and its key identifier, and reads back as success', () => {
    const body = {
      ...failed,
      status: 'success',
      results: [{ ...failed.results[0], eui: '90-B3-D5-1F-30-03-00-00', publicKey: KEY, status: 0 }],
    };
    const bytes = writeAlertContent(0x00cb, '0x8F66', body, context, cborContentCodec);
    expect(toHex(bytes)).toContain('040890b3d51f30030000');
    expect(readAlertContent(0x00cb, bytes, 0, cborContentCodec)).toMatchObject({
      alertCode: '0x8F66',
      status: 'success',
      results: [{ eui: '90-B3-D5-1F-30-03-00-00', status: 0 }],
    });
  });

  it('refuses an alert code other than 0x8F66/0x8F67 and a body naming no replacement mode', () => {
    expect(() => writeAlertContent(0x00cb, '0x8F3D', failed, context, cborContentCodec)).toThrow(/0x00CB/);
    expect(() =>
      writeAlertContent(0x00cb, '0x8F66', { ...failed, replacementMode: 'x' }, context, cborContentCodec),
    ).toThrow(/replacement mode/);
  });
});
