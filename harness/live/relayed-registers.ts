import { join } from 'node:path';
import { type Eui, isRelayedEcs17b, openRelayedEcs17b } from '../../simulator/domain/index.js';
import { deviceKaPublicKey, optionalPrivateKey } from './remote-sr.js';
import type { UpConnection } from './up-connection.js';

/**
 * A 4.1.1 answer over DUIS carries the ESME's registers as the ESME encrypted them for the
 * requesting User (ECS17b, GBCS.md §4.3): the DCC relays them unread. `duis send` is that User's
 * head-end, so it opens them as a head-end would, with the User's KA private key and the ESME's KA
 * certificate from the stack's exported PKI. Undefined when the body is not a relayed ECS17b; a
 * line naming the rule when they cannot be opened (no key, another User's registers, bad tag).
 */
export async function openedRegistersLine(
  up: UpConnection,
  user: { readonly name: string; readonly eui: string },
  body: Readonly<Record<string, unknown>> | undefined,
): Promise<string | undefined> {
  if (body === undefined || !isRelayedEcs17b(body)) return undefined;
  const esme = typeof body.esme === 'string' ? (body.esme as Eui) : undefined;
  const devicePublicKey = esme === undefined ? undefined : await deviceKaPublicKey(up.pkiDir, esme);
  const opened = openRelayedEcs17b(body, {
    self: user.eui as Eui,
    kaPrivateKey: await optionalPrivateKey(join(up.pkiDir, `${user.name}-ka.key.pem`)),
    devicePublicKey: (device) => (device === esme ? devicePublicKey : undefined),
  });
  return opened.opened
    ? `registers (ECS17b, opened with ${user.name}'s KA key): ${JSON.stringify(opened.body)}`
    : `registers not opened: ${opened.rule} (${opened.reason})`;
}
