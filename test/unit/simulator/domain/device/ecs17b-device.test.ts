import { describe, expect, it } from 'vitest';
import { stepDevice } from '../../../../../simulator/domain/device/device-machine.js';
import { GbcsDecodeError } from '../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import { decodeGbcsMessage } from '../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import { decodeDlmsApdu } from '../../../../../simulator/domain/gbcs/payloads/dlms/dlms-apdu.js';
import {
  decodeEcs17bResponse,
  encodeEcs17bCommand,
} from '../../../../../simulator/domain/gbcs/payloads/esme/ecs17b.js';
import { ecdhSharedSecret } from '../../../../../simulator/domain/gbcs/protection/ecdh-shared-secret.js';
import { encodeMacProtected } from '../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import { openEcs17bRegisters } from '../../../../../simulator/domain/services/content/read-import-registers-content.js';
import {
  ACB,
  commandApdu,
  DEVICE_EUI,
  DEVICE_KA,
  env,
  macedFrame,
  NETWORK_OPERATOR,
  newTestDevice,
  type Party,
  payloadFor,
  START,
  SUPPLIER,
  secrets,
} from '../../../../support/device-fixture.js';

/**
 * 4.1.1 on a device: the ESME answers ECS17b with its registers encrypted for the party whose
 * authority the command carries (GBCS.md §4.3, §7.2), under Z of its KA key and that party's KA
 * trust anchor cell; nobody else's key opens them.
 */
const DAY = 86_400_000;
let counter = 500;

function readRegisters(from: Party, content?: (counter: bigint) => Uint8Array) {
  const payload = payloadFor(from, '4.1.1', ++counter, {}, START + DAY);
  const frame =
    content === undefined
      ? macedFrame(payload)
      : {
          apdu: encodeMacProtected(
            { ...commandApdu(payload), content: content(BigInt(counter)) },
            { ownKaPrivateKey: ACB.ka.privateKey, peerKaPublicKey: DEVICE_KA.publicKey },
            secrets,
          ),
        };
  const step = stepDevice(newTestDevice(), { type: 'frame', frame, now: START + DAY }, env);
  const sent = step.effects.flatMap((e) => (e.type === 'send' ? [decodeGbcsMessage(e.frame.apdu)] : []));
  expect(sent).toHaveLength(1);
  return sent[0] as ReturnType<typeof decodeGbcsMessage>;
}

const z = (party: Party) => ecdhSharedSecret(party.ka.privateKey, DEVICE_KA.publicKey);

describe('4.1.1 on the device: ECS17b registers encrypted for the requester', () => {
  it('answers the Supplier with 0x0027, MACed, its clock in the header, registers only the Supplier opens', () => {
    const response = readRegisters(SUPPLIER);
    expect(response.apdu.otherInformation.messageCode).toBe(0x0027);
    expect(response.apdu.recipient).toBe(SUPPLIER.eui);
    expect(response.mac).not.toBeNull();
    expect(response.apdu.dateTime).not.toBeNull();
    const decoded = decodeEcs17bResponse(response.apdu.content, response.contentOffset, z(SUPPLIER));
    expect(decoded).toMatchObject({
      device: DEVICE_EUI,
      remoteParty: SUPPLIER.eui,
      counter: BigInt(counter),
    });
    // A day at the reference device's 400 W.
    expect(
      openEcs17bRegisters(response.apdu.content, response.contentOffset, z(SUPPLIER)).importRegisterWh,
    ).toBe(9600);
    expect(() =>
      openEcs17bRegisters(response.apdu.content, response.contentOffset, z(NETWORK_OPERATOR)),
    ).toThrow(GbcsDecodeError);
  });

  it('answers the network operator encrypted for the network operator, not the Supplier', () => {
    const response = readRegisters(NETWORK_OPERATOR);
    expect(decodeEcs17bResponse(response.apdu.content, response.contentOffset).remoteParty).toBe(
      NETWORK_OPERATOR.eui,
    );
    expect(
      openEcs17bRegisters(response.apdu.content, response.contentOffset, z(NETWORK_OPERATOR))
        .importRegisterWh,
    ).toBe(9600);
    expect(() => openEcs17bRegisters(response.apdu.content, response.contentOffset, z(SUPPLIER))).toThrow(
      GbcsDecodeError,
    );
  });

  it('a command whose protection parameters name another requester or another ESME is not carried out', () => {
    for (const named of [
      { requester: NETWORK_OPERATOR.eui, esme: DEVICE_EUI },
      { requester: SUPPLIER.eui, esme: ACB.eui },
    ]) {
      const response = readRegisters(SUPPLIER, (c) => encodeEcs17bCommand(named, c));
      const dlms = decodeDlmsApdu(response.apdu.content, response.contentOffset);
      expect(dlms.apdu === 'access-response' && dlms.results.map((r) => r.result)).toEqual([250]);
      expect(() => decodeEcs17bResponse(response.apdu.content, response.contentOffset)).toThrow(
        GbcsDecodeError,
      );
    }
  });
});
