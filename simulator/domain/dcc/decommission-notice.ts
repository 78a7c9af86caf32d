import type { FollowUpHandler } from './srv-handler.js';

/**
 * 8.3 is a non-device SR, but the DCC also tells the device (a non-critical GBCS command MACed
 * by the ACB) so that the device itself refuses operational commands from then on — a command
 * that reached it by any other route (a DCC fault, local delivery) does nothing. The SR already
 * has its outcome; the device's answer or silence is noted in the trace only.
 */
export const decommissionNotice: FollowUpHandler = {
  answered(_state, pending, payload) {
    return [
      {
        type: 'notice',
        detail: `${pending.device} confirmed decommissioning (${String(payload.body.status ?? payload.messageCode)})`,
      },
    ];
  },
  timedOut(_state, pending) {
    return [{ type: 'notice', detail: `${pending.device} did not confirm decommissioning (powered off?)` }];
  },
};
