import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { encodeContentBody } from '../../../../simulator/adapters/wire/envelope.js';
import { parseEui } from '../../../../simulator/domain/eui.js';
import {
  encodeGeneralSigning,
  SIGNATURE_EMPTY,
} from '../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { messageCodeOnly } from '../../../../simulator/domain/gbcs/apdu/other-information.js';
import type { ServiceRequest } from '../../../../simulator/domain/messages/duis-messages.js';
import { deriveKeyPair } from '../../../../simulator/domain/smki/key-pair.js';
import { TrialsimError } from '../../../../simulator/errors.js';
import { DccUserAgent, type UserLink } from '../../../../simulator/parties/dcc-user-agent.js';

const USER = parseEui('90-B3-D5-1F-30-01-00-00');
const DCC = parseEui('90-B3-D5-1F-30-00-00-01');
const DEVICE = parseEui('00-12-4B-00-00-00-01-01');

/** An agent on a link that fails the sends `fails` picks (an HTTP POST refused, a publish lost). */
function agentOn(fails: (request: ServiceRequest) => boolean): {
  agent: DccUserAgent;
  sent: ServiceRequest[];
} {
  const sent: ServiceRequest[] = [];
  const link: UserLink = {
    send: async (request) => {
      sent.push(request);
      if (fails(request)) throw new Error('connect ECONNREFUSED 127.0.0.1:4443');
    },
    close: async () => undefined,
  };
  const agent = DccUserAgent.over(
    {
      name: 'supplier-a',
      eui: USER,
      role: 'IS',
      dsPrivate: deriveKeyPair('t', 'ds').privateKey,
      dccEui: DCC,
    },
    () => link,
  );
  return { agent, sent };
}

const warnings = vi.spyOn(process, 'emitWarning');
afterEach(() => warnings.mockClear());
// Test files share a worker process (vitest.config.ts: isolate false): the spy must not outlive
// this file, or another file's spy on process.emitWarning would count this one's calls.
afterAll(() => warnings.mockRestore());

describe('every service request ends in a recorded outcome: a failed send ends the SR with its cause', () => {
  it('a request the link cannot send rejects both its promises with SEND_FAILED naming the cause, and no warning is all that is left', async () => {
    const { agent } = agentOn(() => true);
    const handle = agent.request({ srv: '11.2', target: DEVICE });
    const error = await handle.final.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrialsimError);
    expect((error as TrialsimError).code).toBe('SEND_FAILED');
    expect((error as Error).message).toMatch(
      /supplier-a could not send .* \(11\.2 CV 1\): connect ECONNREFUSED/,
    );
    await expect(handle.firstResponse).rejects.toThrow(/ECONNREFUSED/);
    expect(agent.outstanding).toBe(0);
    expect(warnings).not.toHaveBeenCalled();
  });

  it('a CV 5 that cannot be sent after the Pre-Command came back ends that SR with the cause', async () => {
    const { agent, sent } = agentOn((r) => r.commandVariant === 5);
    const handle = agent.request({ srv: '8.1.1', target: DEVICE, commandVariant: 4 });
    const first = sent[0] as ServiceRequest;
    const preCommand = encodeGeneralSigning({
      cra: 'command',
      counter: 1n,
      originator: USER,
      recipient: DEVICE,
      dateTime: null,
      otherInformation: messageCodeOnly(0x0062),
      content: encodeContentBody({}),
      signature: SIGNATURE_EMPTY,
    });
    agent.receive({
      kind: 'serviceResponse',
      message: {
        requestId: first.requestId,
        serviceReferenceVariant: '8.1.1',
        responseCode: 'I0',
        preCommand,
      },
    } as Parameters<DccUserAgent['receive']>[0]);
    await expect(handle.final).rejects.toThrow(/could not send .* \(8\.1\.1 CV 5\)/);
    expect(sent.map((r) => r.commandVariant)).toEqual([4, 5]);
    expect(agent.outstanding).toBe(0);
    expect(warnings).not.toHaveBeenCalled();
  });

  it('a request sent fine is left waiting for its response', async () => {
    const { agent } = agentOn(() => false);
    agent.request({ srv: '11.2', target: DEVICE });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(agent.outstanding).toBe(1);
  });
});
