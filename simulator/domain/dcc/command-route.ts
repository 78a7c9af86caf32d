import { commandMessageCode, commandOriginator } from '../services/service-catalogue.js';
import type { DccState } from './dcc-state.js';
import type { CommandRoute, CommandSpec } from './dcc-wire.js';

/**
 * The GBCS use case a service request becomes on its device: its service module's mapping by the
 * device type the SMI records (services/), or the SRV's trialsim-profile code where GBCS has none.
 * Apart from dcc-wire.ts so that the service modules' DCC handlers can build commands without an
 * import cycle through the catalogue.
 */
export function commandRoute(
  state: DccState,
  spec: Pick<CommandSpec, 'srv' | 'device' | 'body'>,
): CommandRoute {
  const deviceType = state.smi.get(spec.device)?.deviceType ?? 'ESME';
  return {
    messageCode: commandMessageCode(spec.srv, deviceType, spec.body),
    acbForm: commandOriginator(spec.srv, deviceType, spec.body) === 'acb',
  };
}
