import { describe, expect, it } from 'vitest';
import { cborContentCodec } from '../../../../../../simulator/adapters/wire/envelope.js';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { encodeGeneralSigning } from '../../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { encodeMacProtected } from '../../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import {
  gbcsContentFor,
  readCommandContent,
  readResponseContent,
  writeCommandContent,
  writeResponseContent,
} from '../../../../../../simulator/domain/services/content/wire-content.js';
import { rtdsKeyStore, rtdsSample, toHex } from '../../gbcs/gbcs-fixtures.js';

/**
 * The device wire's content for each use case trialsim sends, against DCC's RTDS 4.5.0 reference
 * messages (fixtures/test-vectors/gbcs/, origin in its README): the content the DCC writes for
 * the SR body (commands) and the device writes for its response body, put under the sample's own
 * header, is the sample byte for byte, MAC included; and what the other end reads from the
 * sample is the body trialsim's services use.
 */
const ACB = '90-B3-D5-1F-30-00-00-02' as Eui;
const ESME = '00-DB-12-34-56-78-90-A0' as Eui;
const keys = rtdsKeyStore();

interface Case {
  readonly sample: string;
  /** The service body the sender writes from. */
  readonly body: Record<string, unknown>;
  /** The sender's clock, ms. */
  readonly now?: number;
  /** What the receiver reads (toMatchObject). */
  readonly reads: Record<string, unknown>;
  /** The DCC's SMI for CCS01. */
  readonly deviceTypes?: Readonly<Record<string, 'ESME'>>;
  /** The SR body the DCC holds when it reads a response. */
  readonly request?: Record<string, unknown>;
}

const COMMANDS: readonly Case[] = [
  { sample: 'ECS52_11.2_SUCCESS_COMMAND_GBCS.HEX', body: {}, reads: {} },
  {
    sample: 'ECS70Commission_8.1.1_SUCCESS_COMMAND_GBCS.HEX',
    body: { currentDateTime: '2014-12-31T23:59:10Z', tolerancePeriod: 60 },
    reads: { validityStart: '2014-12-31T23:59:10.000Z', validityEnd: '2015-01-01T00:00:10.000Z' },
  },
  {
    sample: 'ECS35a_6.13_SUCCESS_COMMAND_GBCS.HEX',
    body: { log: 'event', from: '2014-12-31T00:00:00Z', to: '2015-01-01T00:00:00Z' },
    reads: { log: 'event', from: '2014-12-31T00:00:00.000Z', to: '2015-01-01T00:00:00.000Z' },
  },
  {
    sample: 'CCS01_8.11_SUCCESS_COMMAND_GBCS.HEX',
    body: { action: 'add', deviceId: ESME, installCode: '0123456789ABCDEF', joinTimePeriod: 90 },
    deviceTypes: { [ESME]: 'ESME' },
    reads: { action: 'add', deviceId: ESME, installCode: '0123456789ABCDEF', joinTimePeriod: 90 },
  },
  {
    sample: 'CS06_11.3_IMMEDIATE_SUCCESS_COMMAND_GBCS.HEX',
    body: { imageHash: 'from the sample' },
    reads: {},
  },
];

const RESPONSES: readonly Case[] = [
  {
    sample: 'ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX',
    body: { status: 'success', firmwareVersion: '1.35.171.205' },
    reads: { status: 'success', firmwareVersion: '1.35.171.205' },
  },
  {
    sample: 'ECS70Commission_8.1.1_SUCCESS_RESPONSE_GBCS.HEX',
    body: { status: 'success' },
    now: Date.parse('2015-01-01T00:00:00Z'),
    reads: { status: 'success', deviceTime: '2015-01-01T00:00:00.000Z' },
  },
  {
    sample: 'CCS01_8.11_SUCCESS_RESPONSE_GBCS.HEX',
    body: { status: 'success', deviceLog: [ESME] },
    reads: { status: 'success' },
  },
  {
    sample: 'CS06_11.3_IMMEDIATE_SUCCESS_RESPONSE_GBCS.HEX',
    body: { status: 'success', firmwareVersion: '1.35.171.206' },
    reads: { status: 'success', firmwareVersion: '1.35.171.206' },
  },
];

function decoded(name: string) {
  return decodeGbcsMessage(rtdsSample(name).bytes);
}

/** The sample rebuilt with `content` in place of its own, protected as the sample is. */
function rebuilt(name: string, content: Uint8Array): Uint8Array {
  const message = decoded(name);
  const apdu = { ...message.apdu, content };
  if (message.mac === null) return encodeGeneralSigning(apdu);
  const { originator, recipient, cra } = apdu;
  const [a, b] = (cra === 'command' ? [ACB, recipient] : [originator, recipient]).map((eui) =>
    keys.find(eui as Eui, 'ka'),
  );
  const own = a?.privateKey ? a : b;
  const peer = own === a ? b : a;
  if (own?.privateKey === undefined || peer === undefined) throw new Error('no published key for this MAC');
  return encodeMacProtected(apdu, { ownKaPrivateKey: own.privateKey, peerKaPublicKey: peer.publicKey });
}

describe('the device wire carries the RTDS payload of each use case (byte-compatible with DCC reference messages)', () => {
  describe.each(COMMANDS.map((c) => [c.sample, c] as const))('command %s', (name, c) => {
    const message = decoded(name);
    const code = message.apdu.otherInformation.messageCode;
    // CS06 names the image by hash: the sample's own (what a DUIS FirmwareHash would carry).
    const body =
      c.body.imageHash === undefined ? c.body : { imageHash: message.apdu.content.subarray(4, 36) };

    it('has a GBCS payload form on trialsim’s wire', () => {
      expect(gbcsContentFor(code)).toBeDefined();
    });

    it('the DCC writes the SR body as the sample’s payload, and the whole message regenerates byte for byte', () => {
      const content = writeCommandContent(
        code,
        body,
        {
          counter: message.apdu.counter,
          now: 0,
          deviceTypeOf: (eui) => c.deviceTypes?.[eui],
        },
        cborContentCodec,
      );
      expect(toHex(content)).toBe(toHex(message.apdu.content));
      expect(toHex(rebuilt(name, content))).toBe(toHex(rtdsSample(name).bytes));
    });

    it('the device reads the sample into the body it executes', () => {
      const read = readCommandContent(code, message.apdu.content, message.contentOffset, cborContentCodec);
      expect(read).toMatchObject(c.body.imageHash === undefined ? c.reads : { imageHash: body.imageHash });
    });
  });

  describe.each(RESPONSES.map((c) => [c.sample, c] as const))('response %s', (name, c) => {
    const message = decoded(name);
    const code = message.apdu.otherInformation.messageCode;

    it('the device writes its response body as the sample’s payload, and the whole message regenerates', () => {
      const content = writeResponseContent(
        code,
        c.body,
        { counter: message.apdu.counter, now: c.now ?? 0 },
        cborContentCodec,
      );
      expect(toHex(content)).toBe(toHex(message.apdu.content));
      // A device-signed response keeps the sample's signature: the signed bytes are the same.
      expect(toHex(rebuilt(name, content))).toBe(toHex(rtdsSample(name).bytes));
    });

    it('the DCC reads the sample into the DUIS response body', () => {
      const read = readResponseContent(
        code,
        message.apdu.content,
        message.contentOffset,
        cborContentCodec,
        c.request,
      );
      expect(read).toMatchObject(c.reads);
    });
  });

  it('6.13: the RTDS event log response reads as its 33 entries with GBCS codes; the same entries written by a device read back alike', () => {
    const name = 'ECS35a_6.13_SUCCESS_RESPONSE_GBCS.HEX';
    const message = decoded(name);
    const code = message.apdu.otherInformation.messageCode;
    const read = readResponseContent(code, message.apdu.content, message.contentOffset, cborContentCodec);
    const log = read.log as { at: number; code: string; detail: string }[];
    expect(read.status).toBe('success');
    expect(log).toHaveLength(33);
    expect(log[2]).toMatchObject({ at: Date.parse('2014-12-31T01:39:48Z'), code: '0x8154' });
    // RTDS's extra octets are binary; a trialsim device writes its entry's detail there as UTF-8,
    // so the sample cannot be regenerated from a device log, only its layout and figures.
    const written = writeResponseContent(
      code,
      { status: 'success', log },
      { counter: message.apdu.counter, now: 0 },
      cborContentCodec,
    );
    expect(toHex(written.subarray(0, 12))).toBe(toHex(message.apdu.content.subarray(0, 12)));
    expect(readResponseContent(code, written, 0, cborContentCodec)).toMatchObject({
      status: 'success',
      log: log.map((e) => ({ at: e.at, code: e.code })),
    });
  });

  it('a failed command is answered with the use case’s failure form, which reads back as failure', () => {
    for (const name of [
      'ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX',
      'ECS70Commission_8.1.1_SUCCESS_RESPONSE_GBCS.HEX',
    ]) {
      const code = decoded(name).apdu.otherInformation.messageCode;
      const content = writeResponseContent(
        code,
        { status: 'failure' },
        { counter: 7n, now: 0 },
        cborContentCodec,
      );
      expect(readResponseContent(code, content, 0, cborContentCodec).status).toBe('failure');
    }
  });
});
