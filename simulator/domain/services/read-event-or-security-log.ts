import { z } from 'zod';
import type { LogEntry } from '../device/device-state.js';
import { gbcsUseCase, noGbcsCommand } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

const eventLog = gbcsUseCase(0x0048);
const securityLog = gbcsUseCase(0x0049);
const notElectricity = noGbcsCommand('trialsim maps 6.13 to GBCS for an ESME only (ECS35a/b)');

/** The entries inside [from, to], whole seconds as ECS35 names them; a bound not given is open. */
function inRange(log: readonly LogEntry[], from: unknown, to: unknown): readonly LogEntry[] {
  const start = typeof from === 'string' ? Date.parse(from) : Number.NaN;
  const end = typeof to === 'string' ? Date.parse(to) + 999 : Number.NaN;
  return log.filter((e) => (Number.isNaN(start) || e.at >= start) && (Number.isNaN(end) || e.at <= end));
}

/** 6.13 Read Event or Security Log: ECS35a (event log) or ECS35b (security log) on an ESME. */
export const readEventOrSecurityLog: ServiceModule = {
  srv: '6.13',
  // DUIS's ReadLogPeriod: a range to read (default the whole log), GBCS's ECS35 range.
  requestBody: z
    .object({
      log: z.enum(['event', 'security']).default('event'),
      from: z.string().datetime({ offset: true }).optional(),
      to: z.string().datetime({ offset: true }).optional(),
    })
    .strict(),
  gbcs: (deviceType, body) =>
    deviceType !== 'ESME' ? notElectricity : body.log === 'security' ? securityLog : eventLog,
  dcc: {},
  device: {
    critical: false,
    authority: ['supplier', 'networkOperator'],
    execute: (state, command) => {
      const log = command.body.log === 'security' ? state.securityLog : state.eventLog;
      return { state, body: { status: 'success', log: inRange(log, command.body.from, command.body.to) } };
    },
  },
};
