import { z } from 'zod';
import {
  CPL_STATUSES,
  DEVICE_TYPES,
  isEui,
  RESPONSE_CODES,
  type ResponseCode,
  SRV_CATALOGUE,
} from '../../simulator/domain/index.js';
import { parseDuration } from '../../simulator/time/index.js';
import { didYouMeanHint } from './did-you-mean.js';

/** Schema pieces shared by the scenario file, its actions and its checks. */
export const euiSchema = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine(isEui, 'must be an EUI-64 like 90-B3-D5-1F-30-01-00-00');

export const instantSchema = z
  .union([z.string().datetime({ offset: true }), z.string().date()])
  .describe('ISO 8601 date or date-time, UTC');

export const srvSchema = z.union([z.string(), z.number()]).transform(String).describe('SRV, e.g. "8.1.1"');

/** The SRVs trialsim knows (DUIS.md), in the catalogue's order. */
export const KNOWN_SRVS: readonly string[] = [...SRV_CATALOGUE.keys()];

/** Why an SRV is not one trialsim knows, with the nearest known one; undefined when it is known. */
export function unknownSrvProblem(srv: string): string | undefined {
  if (SRV_CATALOGUE.has(srv)) return undefined;
  return `"${srv}" is not an SRV trialsim knows${didYouMeanHint(srv, KNOWN_SRVS)} (known: ${KNOWN_SRVS.join(', ')})`;
}

/** An SRV that must be in the catalogue (a filter, a command to build). */
export const knownSrvSchema = srvSchema.superRefine((srv, ctx) => {
  const problem = unknownSrvProblem(srv);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const DURATION_UNITS = ['ms', 's', 'seconds', 'minutes', 'hours', 'days', 'weeks', 'months', 'years'];

/** Why a duration does not parse, with the nearest unit for a misspelt one; undefined when it does. */
export function durationProblem(text: string): string | undefined {
  try {
    parseDuration(text);
    return undefined;
  } catch (err) {
    const unit = /^\s*[\d.]+\s*([a-z]+)\s*$/i.exec(text)?.[1];
    return `${(err as Error).message}${unit === undefined ? '' : didYouMeanHint(unit, [...DURATION_UNITS, 'day', 'week', 'month', 'year', 'hour', 'minute', 'second'])}`;
  }
}

/** A duration as people write it: "2 days", "6 months", "30 s"; checked when the file loads. */
export const durationSchema = z
  .string()
  .superRefine((text, ctx) => {
    const problem = durationProblem(text);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('a duration, e.g. "2 days", "6 months", "30 s"');

export const responseCodeSchema = z.enum(RESPONSE_CODES as [ResponseCode, ...ResponseCode[]]);

/** What names a Device Model on the CPL and in a device model file (DCC.md §5; 12.2 firmware: 1–8 chars). */
export const deviceModelIdentityShape = {
  deviceType: z.enum(DEVICE_TYPES),
  manufacturer: z.string().min(1).describe('manufacturer name, as on the CPL'),
  model: z.string().min(1).describe('model name, as on the CPL'),
  hardwareVersion: z.string().min(1).describe('hardware version, a string: "1.0", not 1.0'),
  firmwareVersion: z.string().min(1).max(8).describe('firmware version, 1–8 characters (12.2 reports it)'),
};

export const cplEntrySchema = z
  .object({
    ...deviceModelIdentityShape,
    cpaCertificateReference: z.string().min(1),
    status: z.enum(CPL_STATUSES).default('Active'),
    imageHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict();
export type CplEntryInput = z.infer<typeof cplEntrySchema>;

/** How a service request should end: a response code, or a device refusing it with an alert. */
export const outcomeExpectationSchema = z
  .object({
    response: responseCodeSchema.optional(),
    deviceAlert: z
      .string()
      .regex(/^0x8F[0-9A-F]{2}$/)
      .optional(),
    rule: z.string().optional(),
    reasonIncludes: z.string().optional(),
    body: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type OutcomeExpectation = z.infer<typeof outcomeExpectationSchema>;
