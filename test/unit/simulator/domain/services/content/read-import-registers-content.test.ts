import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { GbcsDecodeError } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { ecdhSharedSecret } from '../../../../../../simulator/domain/gbcs/protection/ecdh-shared-secret.js';
import {
  isRelayedEcs17b,
  openRelayedEcs17b,
  type RequesterKeys,
} from '../../../../../../simulator/domain/services/content/ecs17b-requester.js';
import {
  ecs17bContent,
  openEcs17bRegisters,
} from '../../../../../../simulator/domain/services/content/read-import-registers-content.js';
import { rtdsKeyStore, rtdsSample, toHex } from '../../gbcs/gbcs-fixtures.js';

/**
 * 4.1.1's ECS17b payload against RTDS 4.5.0's SINGLE example (fixtures/test-vectors/gbcs/,
 * origin in its README): the Supplier 90-B3-D5-1F-30-01-00-00 reads ESME 00-DB-12-34-56-78-90-A0,
 * counter 1000; the published ESME and Supplier KA keys give Z from either side (GBCS.md §4.3).
 */
const ESME = '00-DB-12-34-56-78-90-A0' as Eui;
const SUPPLIER = '90-B3-D5-1F-30-01-00-00' as Eui;
const keys = rtdsKeyStore();
function ka(eui: Eui) {
  const entry = keys.find(eui, 'ka');
  if (entry?.privateKey === undefined) throw new Error(`no published KA key pair for ${eui}`);
  return { privateKey: entry.privateKey, publicKey: entry.publicKey };
}
const zEsme = ecdhSharedSecret(ka(ESME).privateKey, ka(SUPPLIER).publicKey);
const zSupplier = ecdhSharedSecret(ka(SUPPLIER).privateKey, ka(ESME).publicKey);
const command = decodeGbcsMessage(rtdsSample('ECS17b_4.1.1_SINGLE_SUCCESS_COMMAND_GBCS.HEX').bytes);
const response = decodeGbcsMessage(rtdsSample('ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX').bytes);

const dccContext = { counter: 1000n, now: 0, originator: SUPPLIER, recipient: ESME };
const esmeContext = {
  counter: 1000n,
  now: 0,
  originator: ESME,
  recipient: SUPPLIER,
  sharedSecretWith: (party: Eui) => (party === SUPPLIER ? zEsme : undefined),
};

describe('4.1.1 as ECS17b: the registers encrypted for the requester (GBCS.md §4.3, §7.2)', () => {
  it('the DCC writes the command naming the User and the ESME: the RTDS payload byte for byte', () => {
    const bytes = ecs17bContent.encodeCommand({}, dccContext);
    expect(toHex(bytes)).toBe(toHex(command.apdu.content));
    expect(ecs17bContent.decodeCommand(bytes, 0)).toEqual({ requester: SUPPLIER, esme: ESME });
  });

  it('the ESME writes its registers encrypted under Z(ESME, Supplier): the RTDS response byte for byte', () => {
    const bytes = ecs17bContent.encodeResponse(
      { status: 'success', importRegisterWh: 10, importReactiveVarh: 10 },
      esmeContext,
    );
    expect(toHex(bytes)).toBe(toHex(response.apdu.content));
  });

  it('the DCC cannot read the registers: it relays the status, the parties and the protected attributes', () => {
    const read = ecs17bContent.decodeResponse(response.apdu.content, response.contentOffset);
    expect(read).toMatchObject({ status: 'success', esme: ESME, encryptedFor: SUPPLIER });
    expect(read).not.toHaveProperty('importRegisterWh');
  });

  it('the Supplier opens them with its own KA key: import 10 Wh (and 10 varh), as RTDS decrypts', () => {
    const opened = openEcs17bRegisters(response.apdu.content, response.contentOffset, zSupplier);
    expect(opened.importRegisterWh).toBe(10);
    expect(opened.readings).toEqual([
      { value: 10, scaler: 0, unit: 30 },
      { value: 10, scaler: 0, unit: 32 },
    ]);
  });

  it('a register written by a trialsim ESME round-trips to the requester; another party’s key does not open it', () => {
    const bytes = ecs17bContent.encodeResponse({ status: 'success', importRegisterWh: 288_000 }, esmeContext);
    expect(openEcs17bRegisters(bytes, 0, zSupplier).importRegisterWh).toBe(288_000);
    expect(() => openEcs17bRegisters(bytes, 0, new Uint8Array(32).fill(7))).toThrow(GbcsDecodeError);
  });

  it('without a KA key for the requester, or on failure, the ESME answers the DLMS failure form', () => {
    for (const bytes of [
      ecs17bContent.encodeResponse(
        { status: 'success', importRegisterWh: 1 },
        { ...esmeContext, recipient: ESME },
      ),
      ecs17bContent.encodeResponse({ status: 'failure' }, esmeContext),
    ]) {
      expect(ecs17bContent.decodeResponse(bytes, 0)).toMatchObject({ status: 'failure', result: 250 });
    }
  });

  it('a register value DLMS cannot carry is refused when written, not sent garbled', () => {
    expect(() =>
      ecs17bContent.encodeResponse({ status: 'success', importRegisterWh: -1 }, esmeContext),
    ).toThrow(/importRegisterWh/);
    expect(() => ecs17bContent.encodeCommand({}, { counter: 1n, now: 0 })).toThrow(/requester/);
  });

  it('truncated, flipped or extended content is refused with a GBCS decode error, never another error', () => {
    const samples = [command.apdu.content, response.apdu.content];
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }),
        fc.nat(),
        fc.boolean(),
        (which, flips, cut, extend) => {
          const bytes = Uint8Array.from(samples[which] ?? []);
          for (const [at, xor] of flips) bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ xor;
          const changed = extend ? Uint8Array.from([...bytes, 0]) : bytes.subarray(0, cut % bytes.length);
          if (flips.length === 0 && !extend && changed.length === bytes.length) return;
          const readers = [
            () => ecs17bContent.decodeCommand(changed, 0),
            () => ecs17bContent.decodeResponse(changed, 0),
            () => openEcs17bRegisters(changed, 0, zSupplier),
          ];
          for (const read of readers) {
            try {
              read();
            } catch (err) {
              expect(err).toBeInstanceOf(GbcsDecodeError);
            }
          }
          // Any change to the response the tag covers stops it opening.
          if (which === 1) expect(() => openEcs17bRegisters(changed, 0, zSupplier)).toThrow(GbcsDecodeError);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('4.1.1 relayed by the DCC, opened by the requester (GBCS.md §4.3)', () => {
  const relayed = ecs17bContent.decodeResponse(response.apdu.content, response.contentOffset);
  const supplierKeys: RequesterKeys = {
    self: SUPPLIER,
    kaPrivateKey: ka(SUPPLIER).privateKey,
    devicePublicKey: (device) => (device === ESME ? ka(ESME).publicKey : undefined),
  };
  const refusal = (body: Record<string, unknown>, keys: RequesterKeys = supplierKeys) => {
    const opened = openRelayedEcs17b(body, keys);
    return opened.opened ? 'opened' : opened.rule;
  };

  it('the DCC relays what the Supplier needs to open the RTDS registers: 10 Wh', () => {
    expect(relayed).toMatchObject({ protectionCounter: '1000' });
    expect(isRelayedEcs17b(relayed)).toBe(true);
    expect(openRelayedEcs17b(relayed, supplierKeys)).toEqual({
      opened: true,
      body: { status: 'success', importRegisterWh: 10 },
    });
  });

  it('another KA key, a tampered byte or another counter does not open them: ECS17B-TAG', () => {
    const attributes = String(relayed.protectedAttributes);
    const flipped = `${attributes.slice(0, 20)}${attributes[20] === '0' ? '1' : '0'}${attributes.slice(21)}`;
    const wrongKey = { ...supplierKeys, kaPrivateKey: ka(ESME).privateKey };
    expect(refusal(relayed, wrongKey)).toBe('ECS17B-TAG');
    expect(refusal({ ...relayed, protectedAttributes: flipped })).toBe('ECS17B-TAG');
    expect(refusal({ ...relayed, protectionCounter: '1001' })).toBe('ECS17B-TAG');
  });

  it('a missing key or a body for somebody else is a refusal naming its rule, never a throw', () => {
    expect(refusal(relayed, { ...supplierKeys, self: ESME })).toBe('ECS17B-NOT-FOR-THIS-PARTY');
    expect(refusal(relayed, { ...supplierKeys, kaPrivateKey: undefined })).toBe('ECS17B-NO-OWN-KA-KEY');
    expect(refusal(relayed, { ...supplierKeys, devicePublicKey: () => undefined })).toBe(
      'ECS17B-NO-DEVICE-KA-KEY',
    );
    expect(refusal(relayed, { ...supplierKeys, devicePublicKey: () => new Uint8Array(65).fill(4) })).toBe(
      'ECS17B-BAD-KEY',
    );
    for (const broken of [
      { ...relayed, protectedAttributes: 'not hex' },
      { ...relayed, protectionCounter: '-1' },
      { ...relayed, protectedAttributes: '31000000' },
      { status: 'success', protectedAttributes: '' },
    ]) {
      expect(refusal(broken)).toBe('ECS17B-MALFORMED');
    }
    const opened = openRelayedEcs17b(relayed, { ...supplierKeys, devicePublicKey: () => undefined });
    expect(opened).toMatchObject({ reason: expect.stringContaining(ESME) });
  });

  it('a failure answer is not the relayed form: there is nothing to open', () => {
    expect(isRelayedEcs17b({ status: 'failure', result: 250 })).toBe(false);
    expect(isRelayedEcs17b(undefined)).toBe(false);
  });
});
