import { z } from 'zod';
import { deviceLogUpdated } from '../dcc/commissioning-responses.js';
import { euiField } from '../duis/body-fields.js';
import { type Eui, parseEui } from '../eui.js';
import { gbcsUseCase, noGbcsCommand } from './gbcs-mapping.js';
import type { ServiceModule } from './service-module.js';

const add = gbcsUseCase(0x0001, 'acb');
const remove = gbcsUseCase(0x0002, 'acb');
const notHub = noGbcsCommand('8.11 is addressed to a comms hub');

function readEui(value: unknown): Eui | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parseEui(value);
  } catch {
    return undefined;
  }
}

/**
 * 8.11 Update HAN Device Log: CCS01 (add) or CCS02 (remove) to the comms hub, in the ACB form.
 * When the hub confirms, the joining device is Whitelisted on it in the SMI.
 */
export const updateHanDeviceLog: ServiceModule = {
  srv: '8.11',
  requestBody: z
    .object({ action: z.enum(['add', 'remove']), deviceId: euiField, installCode: z.string().optional() })
    .strict(),
  gbcs: (deviceType, body) => (deviceType !== 'CHF' ? notHub : body.action === 'remove' ? remove : add),
  dcc: { response: deviceLogUpdated },
  device: {
    critical: false,
    authority: ['supplier'],
    execute: (state, command) => {
      const target = readEui(command.body.deviceId);
      if (state.identity.deviceType !== 'CHF' || target === undefined) {
        return { state, body: { status: 'failure', reason: 'not a CHF, or no valid deviceId' } };
      }
      const without = state.deviceLog.filter((eui) => eui !== target);
      const deviceLog = command.body.action === 'remove' ? without : [...without, target];
      // The answer names the device changed and the log's size, never the whole log: a hub with
      // thousands of devices would otherwise answer past the message limit (8.9 reads the log).
      return {
        state: { ...state, deviceLog },
        body: { status: 'success', deviceId: target, deviceLogEntries: deviceLog.length },
      };
    },
  },
};
