import type { Topics } from '../wire/topics.js';
import { type BrokerPrincipal, deriveBrokerCredentials, principalUsername } from './broker-access-control.js';
import { BROKER_VERSION_TOPIC } from './broker-probe.js';

/**
 * The same per-party rules as BrokerAccessControl, as mosquitto configuration, for runs on an
 * external broker (mosquitto.conf: `allow_anonymous false`, `password_file`, `acl_file`).
 * mosquitto matches ACL entries literally per user, so the file lists every party of the run.
 */
export function mosquittoAclFile(
  topics: Topics,
  principals: readonly BrokerPrincipal[],
  options: { readonly anyNamespace?: boolean } = {},
): string {
  const acl = aclLines(topics, principals).join('\n');
  // anyNamespace: `trialsim run` picks a fresh namespace per scenario, so a file written before
  // the run matches any namespace; each party is still pinned to its own EUI's topics.
  return `${options.anyNamespace ? acl.replaceAll(`trialsim/v1/${topics.namespace}/`, 'trialsim/v1/+/') : acl}\n`;
}

function aclLines(topics: Topics, principals: readonly BrokerPrincipal[]): string[] {
  const lines = [`# trialsim broker ACL for namespace ${topics.namespace} (generated; do not edit)`];
  for (const principal of principals) {
    lines.push('', `user ${principalUsername(principal)}`);
    if (principal.role === 'dcc') {
      const [dccIn, wanUp] = topics.dccSubscriptions();
      const base = `trialsim/v1/${topics.namespace}`;
      lines.push(`topic read ${dccIn}`, `topic read ${wanUp}`);
      lines.push(`topic write ${base}/dcc/out/+`, `topic write ${base}/wan/down/+`);
      // For the broker probe (broker-probe.ts), logged in as the DCC: the evidence names the software.
      lines.push(`topic read ${BROKER_VERSION_TOPIC}`);
    } else if (principal.role === 'user') {
      lines.push(`topic write ${topics.dccIn(principal.eui)}`, `topic read ${topics.dccOut(principal.eui)}`);
    } else if (principal.role === 'deviceGateway') {
      // One connection for many devices (SharedMqttConnection): any device's own two topics.
      const base = `trialsim/v1/${topics.namespace}`;
      lines.push(`topic write ${base}/wan/up/+`, `topic read ${base}/wan/down/+`);
    } else {
      lines.push(`topic write ${topics.wanUp(principal.eui)}`, `topic read ${topics.wanDown(principal.eui)}`);
    }
  }
  return lines;
}

/**
 * `username:password` lines in clear: hash them in place with `mosquitto_passwd -U <file>`
 * before pointing mosquitto's `password_file` at the file.
 */
export function mosquittoPasswordFile(seed: string, principals: readonly BrokerPrincipal[]): string {
  return `${principals
    .map((p) => {
      const { username, password } = deriveBrokerCredentials(seed, p);
      return `${username}:${password}`;
    })
    .join('\n')}\n`;
}

/**
 * mosquitto.conf for a run's broker: its listener, no anonymous clients, the generated password
 * and ACL files. `set_tcp_nodelay true` because trialsim's traffic is request and response: with
 * Nagle's algorithm each answer waits out the peer's delayed ACK (≈40 ms a hop; a 100-device
 * trial took 84 s instead of about 3 s). mosquitto does not bind a client id to its user: a party
 * with valid credentials can take over another's id; the run then detects the kicked party and
 * fails with that cause (BROKER_CONNECTION_LOST).
 */
export function mosquittoConfFile(options: {
  readonly port: number;
  readonly host?: string;
  readonly passwordFile: string;
  readonly aclFile: string;
}): string {
  return `${[
    `listener ${options.port} ${options.host ?? '127.0.0.1'}`,
    'allow_anonymous false',
    `password_file ${options.passwordFile}`,
    `acl_file ${options.aclFile}`,
    'set_tcp_nodelay true',
  ].join('\n')}\n`;
}
