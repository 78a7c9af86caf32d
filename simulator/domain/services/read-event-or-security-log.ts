import { z } from 'zod';
import { gbcsUseCase, noGbcsCommand } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

const eventLog = gbcsUseCase(0x0048);
const securityLog = gbcsUseCase(0x0049);
const notElectricity = noGbcsCommand('trialsim maps 6.13 to GBCS for an ESME only (ECS35a/b)');

/** 6.13 Read Event or Security Log: ECS35a (event log) or ECS35b (security log) on an ESME. */
export const readEventOrSecurityLog: ServiceModule = {
  srv: '6.13',
  requestBody: z.object({ log: z.enum(['event', 'security']).default('event') }).strict(),
  gbcs: (deviceType, body) =>
    deviceType !== 'ESME' ? notElectricity : body.log === 'security' ? securityLog : eventLog,
  dcc: {},
  device: {
    critical: false,
    authority: ['supplier', 'networkOperator'],
    execute: (state, command) => ({
      state,
      body: {
        status: 'success',
        log: command.body.log === 'security' ? state.securityLog : state.eventLog,
      },
    }),
  },
};
