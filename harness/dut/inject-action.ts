import { z } from 'zod';
import {
  type Eui,
  REMOTE_PARTY_ROLE_CODES,
  REPLACEMENT_MODES,
  type RemotePartyRole,
} from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { parseDuration } from '../../simulator/time/index.js';
import { defineAction } from '../scenario/actions/step-action.js';
import { ExpectationFailure, matchesSubset } from '../scenario/expectation-failure.js';
import { resolveFirmwareReferences } from '../scenario/firmware-references.js';
import type { RunContext } from '../scenario/run-context.js';
import { srvSchema } from '../scenario/schema-parts.js';
import type { SimStack } from '../stack/sim-stack.js';
import { CORRUPTIONS, type CraftingKeys, craftFrame, isCritical } from './crafted/crafted-command.js';
import { deviceTraffic } from './crafted/device-traffic.js';
import {
  CERTIFICATE_VARIANT_HELP,
  CERTIFICATE_VARIANTS,
  certificationPathFor,
  replacementCertificate,
} from './crafted/replacement-certificates.js';
import { ROOT_VARIANT_HELP, ROOT_VARIANTS, rootCertificate } from './crafted/root-certificates.js';

const REMOTE_ROLES = Object.keys(REMOTE_PARTY_ROLE_CODES) as [RemotePartyRole, ...RemotePartyRole[]];

const answerSchema = z
  .object({
    response: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('exactly one response, whose body includes these fields (e.g. { status: success })'),
    alerts: z.array(z.string()).optional().describe('exactly these alert codes, in order (default none)'),
    silent: z.literal(true).optional().describe('the device sends nothing at all'),
  })
  .strict();

/** A CS02b body written by party name: the run's PKI supplies the keys (YAML cannot). */
const credentialsSchema = z
  .object({
    mode: z.enum(REPLACEMENT_MODES),
    install: z
      .array(
        z
          .object({
            party: z.string().describe('party whose DS and KA keys go into the cells'),
            role: z.enum(REMOTE_ROLES).describe('the cells replaced'),
            floor: z.number().int().nonnegative().optional().describe('originatorCounterFloor'),
            certificate: z.enum(CERTIFICATE_VARIANTS).default('issued').describe(CERTIFICATE_VARIANT_HELP),
          })
          .strict(),
      )
      .min(1)
      .optional(),
    newRoot: z
      .enum(ROOT_VARIANTS)
      .optional()
      .describe(
        `a new Root for the Root cell, instead of install (a Root replacement mode): ${ROOT_VARIANT_HELP}`,
      ),
  })
  .strict()
  .refine((c) => (c.install === undefined) !== (c.newRoot === undefined), {
    message: 'give install (party cells) or newRoot (the Root cell), not both',
  });

const injectSchema = z
  .object({
    device: z.string().describe('scenario id of the device that receives the command'),
    command: srvSchema.describe('the command (its SRV, e.g. 4.1.1)'),
    party: z.string().optional().describe("the originator: any party (default: the device's supplier)"),
    body: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('the command body (firmwareImage: a fixture)'),
    counter: z
      .union([z.number().int().nonnegative(), z.enum(['next', 'replay'])])
      .default('next')
      .describe('originator counter: next above any used so far, replay the last injected, or a number'),
    corrupt: z.enum(CORRUPTIONS).default('none').describe('what to break about the command'),
    signWith: z.string().optional().describe('wrongKey on a critical command: the party that signs instead'),
    originatorAs: z.string().optional().describe('wrongOriginator: the party the header names'),
    recipient: z.string().optional().describe('wrongRecipient: the device id the command is addressed to'),
    credentials: credentialsSchema.optional().describe('6.15.1 / 6.23: the CS02b body, by party name'),
    dated: z.string().optional().describe('command dateTime offset from now, e.g. "-2 days" (time handling)'),
    answer: answerSchema.describe('what the device must send back for this command, and nothing else'),
  })
  .strict();
export type InjectSpec = z.infer<typeof injectSchema>;

/** The last counter the harness used per run and originator (independent of the DCC's checks). */
const injected = new WeakMap<SimStack, Map<string, number>>();

function counterFor(spec: InjectSpec, stack: SimStack, party: string): number {
  const used = injected.get(stack) ?? new Map<string, number>();
  injected.set(stack, used);
  const agentLast = stack.users.get(party)?.lastCounter ?? 0;
  const last = Math.max(agentLast, used.get(party) ?? 0);
  const counter =
    spec.counter === 'next'
      ? last + 1
      : spec.counter === 'replay'
        ? (used.get(party) ?? agentLast)
        : spec.counter;
  used.set(party, Math.max(used.get(party) ?? 0, counter));
  return counter;
}

function credentialBody(spec: InjectSpec, stack: SimStack): Record<string, unknown> {
  if (spec.credentials === undefined) return {};
  // CS02b embeds the SMKI certificates whole (GBCS.md §7.8), 6.15.1's as 6.23's; a mode with no
  // GBCS message code carries them on trialsim's profile, and the device reads them the same way.
  const { mode, install, newRoot } = spec.credentials;
  if (newRoot !== undefined) {
    // A Root has no CA above it: the command carries the new Root alone, with no path.
    const certificate = rootCertificate(stack.pki, newRoot);
    return {
      replacementMode: mode,
      replacements: [{ role: 'root', keyUsage: 'digitalSignature', certificate }],
      certificationPath: [],
    };
  }
  const paths = new Map(
    (install ?? [])
      .flatMap(({ certificate }) => certificationPathFor(stack.pki, certificate))
      .map((der) => [Buffer.from(der).toString('hex'), der]),
  );
  return {
    replacementMode: mode,
    replacements: (install ?? []).flatMap(({ party, role, floor, certificate }) => {
      const org = stack.pki.organisation(party);
      return [org.ds, org.ka].map((issued) => ({
        role,
        keyUsage: issued === org.ds ? 'digitalSignature' : 'keyAgreement',
        certificate: replacementCertificate(
          stack.pki,
          org,
          role,
          issued === org.ds ? 'digitalSignature' : 'keyAgreement',
          certificate,
        ),
        ...(floor === undefined ? {} : { originatorCounterFloor: floor }),
      }));
    }),
    certificationPath: [...paths.values()],
  };
}

function signedOffsetMs(text: string): number {
  const negative = text.trim().startsWith('-');
  const d = parseDuration(text.trim().replace(/^[-+]/, ''));
  if (d.unit !== 'ms')
    throw new TrialsimError('SCENARIO_INVALID', `inject dated "${text}": use days, hours …`);
  return negative ? -d.amount : d.amount;
}

function keysFor(spec: InjectSpec, stack: SimStack, party: string, eui: Eui): CraftingKeys {
  const dccState = stack.dcc.view;
  const kaOf = (device: Eui) => {
    const ka = dccState.smki.get(device)?.kaPublic;
    if (ka === undefined) throw new TrialsimError('SCENARIO_INVALID', `inject: no KA key for ${device}`);
    return ka;
  };
  const org = stack.pki.organisation(party);
  const other = spec.recipient === undefined ? undefined : stack.deviceSpec(spec.recipient).eui;
  return {
    originatorDsPrivate: org.ds.keys.privateKey,
    originatorKaPrivate: org.ka.keys.privateKey,
    acbKaPrivate: dccState.config.acbKaPrivate,
    deviceKaPublic: kaOf(eui),
    ...(spec.signWith === undefined
      ? {}
      : { otherDsPrivate: stack.pki.organisation(spec.signWith).ds.keys.privateKey }),
    ...(spec.originatorAs === undefined
      ? {}
      : { otherOriginator: stack.pki.organisation(spec.originatorAs).eui }),
    ...(other === undefined ? {} : { otherRecipient: { eui: other, kaPublic: kaOf(other) } }),
  };
}

/**
 * A negative (or positive) conformance case: the harness builds a command itself
 * (crafted/crafted-command.ts), breaks what the step says, hands it to the device on its WAN
 * link (through the DCC's connection, as a compromised or faulty network would deliver it —
 * the DCC's own checks are bypassed, so whatever happens is the device's doing), lets the bus
 * settle and checks the device's answers: exactly the response and alerts listed, or silence.
 */
export const injectAction = defineAction<InjectSpec>({
  key: 'inject',
  schema: injectSchema,
  description: 'hand a device a command the harness built and perhaps broke, and check its exact answer',
  title: (s) =>
    `${s.command} to ${s.device}${s.corrupt === 'none' ? '' : ` (${s.corrupt})`}${s.counter === 'replay' ? ' replayed' : ''}`,
  async run(spec, context) {
    const { stack } = context;
    const device = stack.deviceSpec(spec.device);
    const party = spec.party ?? device.supplier;
    const counter = counterFor(spec, stack, party);
    const body = await resolveFirmwareReferences(
      spec.command,
      { ...credentialBody(spec, stack), ...spec.body },
      stack,
    );
    const command = {
      messageCode: spec.command,
      originator: stack.pki.organisation(party).eui,
      recipient: device.eui,
      counter,
      at: stack.clock.now() + (spec.dated === undefined ? 0 : signedOffsetMs(spec.dated)),
      dated: spec.dated !== undefined,
      body,
      deviceType: device.deviceType,
    };
    const frame = craftFrame(command, keysFor(spec, stack, party, device.eui), spec.corrupt);
    const fromSeq = stack.trace.length + 1;
    await stack.dcc.execute([{ type: 'toDevice', device: device.eui, frame }]);
    await settleDevice(context, spec.device);
    checkAnswer(spec, stack, device.eui, fromSeq, counter, isCritical(spec.command));
    return undefined;
  },
});

/** Waits until the device has dealt with the command (a device under test: its `handled` report). */
async function settleDevice(context: RunContext, _device: string): Promise<void> {
  await context.stack.settle();
}

function checkAnswer(
  spec: InjectSpec,
  stack: SimStack,
  eui: Eui,
  fromSeq: number,
  counter: number,
  critical: boolean,
): void {
  const answers = deviceTraffic(stack.trace, eui, fromSeq).filter((t) => t.direction === 'fromDevice');
  const got = answers.map((a) =>
    a.message.cra === 2
      ? `response ${a.message.messageCode} ${JSON.stringify(a.message.body.status ?? null)}`
      : a.message.cra === 3
        ? `alert ${a.message.messageCode}`
        : `unreadable ${a.message.messageCode}`,
  );
  const what = `${spec.command} (${critical ? 'critical' : 'non-critical'}, counter ${counter}, ${spec.corrupt})`;
  const want = spec.answer;
  if (want.silent) {
    if (answers.length > 0)
      throw new ExpectationFailure(`${what}: the device must stay silent`, 'nothing', got);
    return;
  }
  const responses = answers.filter((a) => a.message.cra === 2);
  const alerts = answers.filter((a) => a.message.cra === 3).map((a) => a.message.messageCode);
  const expectedAlerts = want.alerts ?? [];
  const expected = {
    responses: want.response === undefined ? 0 : 1,
    alerts: expectedAlerts,
    ...(want.response === undefined ? {} : { response: want.response }),
  };
  const actual = { responses: responses.length, alerts, response: responses[0]?.message.body, all: got };
  const unreadable = answers.some((a) => a.message.cra === undefined);
  const responseOk =
    want.response === undefined
      ? responses.length === 0
      : responses.length === 1 && matchesSubset(want.response, responses[0]?.message.body ?? {});
  const alertsOk = alerts.length === expectedAlerts.length && alerts.every((a, i) => a === expectedAlerts[i]);
  if (!responseOk || !alertsOk || unreadable) {
    throw new ExpectationFailure(
      `${what}: the device answered ${got.join(', ') || 'nothing'}`,
      expected,
      actual,
    );
  }
}
