import { describe, expect, it } from 'vitest';
import { parseEui } from '../../../../simulator/domain/eui.js';
import { ecdhSharedSecret } from '../../../../simulator/domain/gbcs/protection/ecdh-shared-secret.js';
import { ecs17bContent } from '../../../../simulator/domain/services/content/read-import-registers-content.js';
import { deriveKeyPair } from '../../../../simulator/domain/smki/key-pair.js';
import { DccUserAgent, type UserKeyAgreement } from '../../../../simulator/parties/dcc-user-agent.js';

/**
 * The User's side of 4.1.1 (GBCS.md §4.3): the DCC relays the ESME's registers encrypted for the
 * User; the agent opens them with its own KA key and the ESME's from the SMKI repository, so the
 * body a scenario sees is `{ status, importRegisterWh }`. Without the right key the SR still ends,
 * its body naming the rule (a remote party without its key file, a fleet device the PKI has no
 * certificate for), never a throw or a wait for nothing.
 */
const USER = parseEui('90-B3-D5-1F-30-01-00-00');
const DCC = parseEui('90-B3-D5-1F-30-00-00-01');
const ESME = parseEui('00-12-4B-00-00-00-01-01');
const USER_KA = deriveKeyPair('ecs17b-agent', 'user/ka');
const ESME_KA = deriveKeyPair('ecs17b-agent', 'esme/ka');
const COUNTER = 1;

/** What the DCC relays for the ESME's answer to the agent's first request (counter 1). */
function relayedRegisters(wh: number): Record<string, unknown> {
  const content = ecs17bContent.encodeResponse(
    { status: 'success', importRegisterWh: wh },
    {
      counter: BigInt(COUNTER),
      now: 0,
      originator: ESME,
      recipient: USER,
      sharedSecretWith: (party) =>
        party === USER ? ecdhSharedSecret(ESME_KA.privateKey, USER_KA.publicKey) : undefined,
    },
  );
  return ecs17bContent.decodeResponse(content, 0);
}

function agent(keyAgreement?: UserKeyAgreement): DccUserAgent {
  return DccUserAgent.over(
    {
      name: 'supplier-a',
      eui: USER,
      role: 'IS',
      dsPrivate: deriveKeyPair('ecs17b-agent', 'user/ds').privateKey,
      dccEui: DCC,
      ...(keyAgreement === undefined ? {} : { keyAgreement }),
    },
    () => ({ send: async () => undefined, close: async () => undefined }),
  );
}

const smki = (device: typeof ESME) => (device === ESME ? ESME_KA.publicKey : undefined);

async function read(user: DccUserAgent, body: Record<string, unknown>, srv = '4.1.1') {
  const handle = user.request({ srv, target: ESME });
  user.receive({
    kind: 'serviceResponse',
    message: {
      responseId: 'r1',
      requestId: handle.requestId,
      serviceReferenceVariant: srv,
      responseCode: 'I0',
      body,
    },
  });
  const outcome = await handle.final;
  if (outcome.kind !== 'response') throw new Error('expected a response');
  expect(handle.responses.at(-1)).toBe(outcome.response);
  return outcome.response.body;
}

describe('the DCC User opens 4.1.1 registers encrypted for it', () => {
  it('with its own KA key and the ESME’s from the SMKI repository: the body it always had', async () => {
    const body = await read(
      agent({ privateKey: USER_KA.privateKey, devicePublicKey: smki }),
      relayedRegisters(4321),
    );
    expect(body).toEqual({ status: 'success', importRegisterWh: 4321 });
  });

  it('another KA key (a deliberately wrong one): ECS17B-TAG, the relayed fields kept, no reading invented', async () => {
    const wrong = deriveKeyPair('ecs17b-agent', 'someone-else/ka').privateKey;
    const body = await read(agent({ privateKey: wrong, devicePublicKey: smki }), relayedRegisters(4321));
    expect(body).not.toHaveProperty('importRegisterWh');
    expect(body).toMatchObject({
      status: 'success',
      encryptedFor: USER,
      registersNotOpened: { rule: 'ECS17B-TAG', reason: expect.stringContaining(ESME) },
    });
  });

  it('a party with no KA key, or a device the SMKI repository has no KA certificate for: the SR ends, naming which', async () => {
    const noKeys = await read(agent(), relayedRegisters(1));
    expect(noKeys).toMatchObject({ registersNotOpened: { rule: 'ECS17B-NO-OWN-KA-KEY' } });
    const unknownDevice = await read(
      agent({ privateKey: USER_KA.privateKey, devicePublicKey: () => undefined }),
      relayedRegisters(1),
    );
    expect(unknownDevice).toMatchObject({ registersNotOpened: { rule: 'ECS17B-NO-DEVICE-KA-KEY' } });
  });

  it('leaves failures and other SRVs as the DCC sent them', async () => {
    const keys = { privateKey: USER_KA.privateKey, devicePublicKey: smki };
    expect(await read(agent(keys), { status: 'failure', result: 250 })).toEqual({
      status: 'failure',
      result: 250,
    });
    expect(await read(agent(keys), { status: 'success', firmwareVersion: '1.0.0' }, '11.2')).toEqual({
      status: 'success',
      firmwareVersion: '1.0.0',
    });
  });
});
