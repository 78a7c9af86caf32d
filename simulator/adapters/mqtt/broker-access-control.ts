import { timingSafeEqual } from 'node:crypto';
import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import { type Eui, isEui } from '../../domain/eui.js';
import { seedBytes } from '../../domain/seed/seed-derivation.js';
import type { Topics } from '../wire/topics.js';

/**
 * Who a broker connection speaks for. Every topic of the scheme (topics.ts) has exactly one
 * publisher role and one subscriber, so knowing the principal is enough to pin it to its topics.
 */
export type BrokerPrincipal =
  | { readonly role: 'dcc' }
  | { readonly role: 'user'; readonly eui: Eui }
  | { readonly role: 'device'; readonly eui: Eui }
  /**
   * One connection carrying many simulated devices (SharedMqttConnection, for fleets of 10k+):
   * it may do what each device may, for any device, and nothing else. Opt-in, for scale only.
   */
  | { readonly role: 'deviceGateway'; readonly shard: number };

export interface BrokerCredentials {
  readonly username: string;
  readonly password: string;
}

/** What the broker refused, for the evidence (the run's MessageTrace gets each as a `notice`). */
export interface BrokerRefusal {
  readonly action: 'connect' | 'publish' | 'subscribe' | 'packet';
  readonly clientId: string;
  /**
   * The principal the client authenticated as, or `(unauthenticated)`: a refused login proved
   * nothing, so it is never put down under the name it claimed.
   */
  readonly principal: string;
  /** A refused login's user name, as claimed (cut to CLAIM_CHARS): a claim, not an identity. */
  readonly claimedUsername?: string;
  readonly topic?: string;
  /** Stable rule id the evidence cites: `BROKER-AUTH`, `BROKER-ACL-PUBLISH`, … */
  readonly rule: string;
  readonly reason: string;
}

/**
 * Usernames carry no `:` (mosquitto's password file uses it as the separator), so the same
 * credentials work on an external mosquitto configured from mosquitto-acl.ts.
 */
export function principalUsername(principal: BrokerPrincipal): string {
  if (principal.role === 'deviceGateway') return `device-gateway-${principal.shard}`;
  return principal.role === 'dcc' ? 'dcc' : `${principal.role}-${principal.eui}`;
}

export function parsePrincipal(username: string | undefined): BrokerPrincipal | undefined {
  if (username === 'dcc') return { role: 'dcc' };
  const gateway = /^device-gateway-(0|[1-9][0-9]{0,5})$/.exec(username ?? '');
  if (gateway !== null) return { role: 'deviceGateway', shard: Number(gateway[1]) };
  const match = /^(user|device)-(.+)$/.exec(username ?? '');
  const eui = match?.[2];
  if (match === null || eui === undefined || !isEui(eui)) return undefined;
  return { role: match[1] as 'user' | 'device', eui };
}

/**
 * The one client id a principal may use. Binding it stops a party with valid credentials from
 * taking over another party's persistent session (and the messages queued for it).
 */
export function brokerClientId(namespace: string, principal: BrokerPrincipal): string {
  return `${namespace}-${principalUsername(principal)}`;
}

/**
 * Per-party passwords derived from the run seed (seed-derivation.ts): reproducible,
 * so an external broker can be configured for a run in advance, and different for every party,
 * so no party can log in as another. Whoever knows the seed knows them all: use a secret seed
 * on a shared broker.
 */
export function deriveBrokerCredentials(seed: string, principal: BrokerPrincipal): BrokerCredentials {
  const username = principalUsername(principal);
  return { username, password: seedBytes(seed, 'broker/credentials', username).toString('base64url') };
}

export interface BrokerAccessControlOptions {
  readonly seed: string;
  readonly topics: Topics;
  /** Largest PUBLISH payload accepted; bigger ones are refused before anyone receives them. */
  readonly maxPayloadBytes: number;
  /** Called for each refusal kept (the first `keptRefusals`); the rest are only counted. */
  readonly onRefusal?: (refusal: BrokerRefusal) => void;
  /** How many refusals are kept in full (default KEPT_REFUSALS); every one is counted. */
  readonly keptRefusals?: number;
}

/**
 * Refusals kept in full. Anyone who can reach the port can make the broker refuse them, as often
 * as they like: past this many, refusals are counted by rule, never stored, so no client that
 * never logged in can grow the evidence or the memory without bound.
 */
export const KEPT_REFUSALS = 20;

/** How many of the kept refusals a run's evidence shows in full (the trace holds KEPT_REFUSALS). */
export const SHOWN_REFUSALS = 5;

/** Every refusal a run's broker made, for the evidence: bounded whatever a client sends. */
export interface BrokerRefusalSummary {
  /** Refusals in all, kept or not. */
  readonly total: number;
  /** Every refusal, counted by rule (`BROKER-AUTH` …). */
  readonly byRule: Readonly<Record<string, number>>;
  /** The first few, in full: a refused login's user name only as the claim it was. */
  readonly first: readonly BrokerRefusal[];
}

/** A claimed user name or client id is cut to this many characters before it is kept. */
export const CLAIM_CHARS = 64;

/** A string a client sent, cut and quoted so it cannot pass for anything but a claim. */
export function claimed(text: string | undefined): string {
  if (text === undefined) return '(none)';
  const cut = text.length > CLAIM_CHARS ? `${text.slice(0, CLAIM_CHARS)}… (${text.length} characters)` : text;
  return JSON.stringify(cut);
}

type Hooks = Required<Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>>;

/**
 * aedes policy hooks for one run: authenticate each party, then let it publish and subscribe on
 * its own topics only (PROTOCOL.md §1). A device cannot publish as the DCC or another device; a
 * supplier cannot read another supplier's responses. Every refusal is recorded.
 */
export class BrokerAccessControl {
  /** The first `keptRefusals` refusals, in full. */
  readonly refusals: BrokerRefusal[] = [];
  /** Every refusal, counted by rule. */
  readonly refusalCounts = new Map<string, number>();
  private refusalTotal = 0;
  private readonly principals = new WeakMap<Client, BrokerPrincipal>();
  /** The live connection holding each party's client id: a second one is refused, not let in. */
  private readonly holders = new Map<string, Client>();
  /** Device-gateway shards this run started, each with the devices it carries. */
  private readonly gateways = new Map<number, ReadonlySet<string>>();

  constructor(private readonly options: BrokerAccessControlOptions) {}

  /**
   * Lets shared connection `shard` log in, for these devices only. A gateway login for a shard
   * the run did not start is refused, and a gateway may speak for its own devices only.
   */
  admitDeviceGateway(shard: number, devices: Iterable<Eui>): void {
    this.gateways.set(shard, new Set(devices));
  }

  /** Refusals in all, kept or not. */
  get refusalCount(): number {
    return this.refusalTotal;
  }

  hooks(): Hooks {
    return {
      authenticate: (client, username, password, done) => {
        const refusal = this.checkConnect(client.id, username, password) ?? this.checkHolder(client);
        if (refusal === undefined) {
          this.principals.set(client, parsePrincipal(username) as BrokerPrincipal);
          this.holders.set(client.id, client);
          done(null, true);
          return;
        }
        this.refuse(refusal);
        const error = new Error(refusal.reason) as AuthenticateError;
        // MQTT 3.1.1 §3.2.2.3: 2 identifier rejected, 4 bad user name or password.
        (error as { returnCode: number }).returnCode = refusal.rule === 'BROKER-AUTH' ? 4 : 2;
        done(error, false);
      },
      authorizePublish: (client, packet, callback) => {
        const refusal = this.checkPublish(client, packet.topic, packet.payload.length);
        if (refusal === undefined) {
          callback(null);
          return;
        }
        this.refuse(refusal);
        // aedes closes the connection of a client whose publish is refused (MQTT-3.3.5-2).
        callback(new Error(refusal.reason));
      },
      authorizeSubscribe: (client, subscription, callback) => {
        const refusal = this.checkSubscribe(client, subscription.topic);
        if (refusal === undefined) {
          callback(null, subscription);
          return;
        }
        this.refuse(refusal);
        // Negated, not an error: SUBACK 0x80 (MQTT 3.1.1 §3.9.3) tells the client, which stays up.
        callback(null, null);
      },
    };
  }

  checkConnect(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
  ): BrokerRefusal | undefined {
    const principal = parsePrincipal(username);
    const unproven = {
      action: 'connect' as const,
      clientId: claimed(clientId),
      principal: '(unauthenticated)',
      claimedUsername: claimed(username),
    };
    if (principal === undefined) {
      return { ...unproven, rule: 'BROKER-AUTH', reason: `unknown user name ${claimed(username)}` };
    }
    if (principal.role === 'deviceGateway' && !this.gateways.has(principal.shard)) {
      return {
        ...unproven,
        rule: 'BROKER-AUTH',
        reason: `device gateway shard ${principal.shard} is not one this run started`,
      };
    }
    const expected = Buffer.from(deriveBrokerCredentials(this.options.seed, principal).password);
    const given = password ?? Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return {
        ...unproven,
        rule: 'BROKER-AUTH',
        reason: `wrong password for user name ${claimed(username)}`,
      };
    }
    const base = { action: 'connect' as const, clientId: claimed(clientId), principal: username as string };
    const clientIdWanted = brokerClientId(this.options.topics.namespace, principal);
    if (clientId !== clientIdWanted) {
      return {
        ...base,
        rule: 'BROKER-CLIENT-ID',
        reason: `${username} must connect as client id ${clientIdWanted}, not ${claimed(clientId)}`,
      };
    }
    return undefined;
  }

  /**
   * MQTT lets a second connection with a client id take the session over from the first
   * (MQTT-3.1.4-2). Here a party's session is its own: while the connection holding the id is
   * up, another with the same id (the same credentials, stolen or replayed) is refused.
   */
  private checkHolder(client: Client): BrokerRefusal | undefined {
    const holder = this.holders.get(client.id);
    if (holder === undefined || holder === client || (holder as { closed?: boolean }).closed === true) {
      return undefined;
    }
    return {
      action: 'connect',
      clientId: client.id,
      principal: principalUsername(this.principals.get(holder) as BrokerPrincipal),
      rule: 'BROKER-SESSION-TAKEOVER',
      reason: `client id ${client.id} is in use by a live connection: a second login is refused, the first keeps its session`,
    };
  }

  checkPublish(client: Client | null, topic: string, payloadBytes: number): BrokerRefusal | undefined {
    const principal = client === null ? undefined : this.principals.get(client);
    const base = {
      action: 'publish' as const,
      clientId: client?.id ?? '(broker)',
      principal: principal === undefined ? '(unauthenticated)' : principalUsername(principal),
      topic,
    };
    if (principal === undefined) {
      return { ...base, rule: 'BROKER-ACL-PUBLISH', reason: 'publish without an authenticated party' };
    }
    if (payloadBytes > this.options.maxPayloadBytes) {
      return {
        ...base,
        rule: 'BROKER-SIZE',
        reason: `${payloadBytes}-byte message is over the ${this.options.maxPayloadBytes}-byte limit`,
      };
    }
    if (!this.mayPublish(principal, topic)) {
      return {
        ...base,
        rule: 'BROKER-ACL-PUBLISH',
        reason: `${base.principal} may not publish on ${topic}`,
      };
    }
    return undefined;
  }

  checkSubscribe(client: Client, filter: string): BrokerRefusal | undefined {
    const principal = this.principals.get(client);
    const name = principal === undefined ? '(unauthenticated)' : principalUsername(principal);
    if (principal !== undefined && this.maySubscribe(principal, filter)) return undefined;
    return {
      action: 'subscribe',
      clientId: client.id,
      principal: name,
      topic: filter,
      rule: 'BROKER-ACL-SUBSCRIBE',
      reason: `${name} may not subscribe to ${filter}`,
    };
  }

  /** Exact topics only: the DCC routes by EUI, so `wan/up/00-12…` and `wan/up/0012…` must not both work. */
  private mayPublish(principal: BrokerPrincipal, topic: string): boolean {
    const topics = this.options.topics;
    if (principal.role === 'device') return topic === topics.wanUp(principal.eui);
    if (principal.role === 'user') return topic === topics.dccIn(principal.eui);
    const route = topics.route(topic);
    if (route === undefined) return false;
    if (principal.role === 'deviceGateway')
      return (
        route.channel === 'wanUp' &&
        topic === topics.wanUp(route.party) &&
        this.gateways.get(principal.shard)?.has(route.party) === true
      );
    if (route.channel === 'dccOut') return topic === topics.dccOut(route.party);
    if (route.channel === 'wanDown') return topic === topics.wanDown(route.party);
    return false;
  }

  private maySubscribe(principal: BrokerPrincipal, filter: string): boolean {
    const topics = this.options.topics;
    if (principal.role === 'device') return filter === topics.wanDown(principal.eui);
    if (principal.role === 'user') return filter === topics.dccOut(principal.eui);
    if (principal.role === 'deviceGateway') {
      const route = topics.route(filter);
      return (
        route?.channel === 'wanDown' &&
        filter === topics.wanDown(route.party) &&
        this.gateways.get(principal.shard)?.has(route.party) === true
      );
    }
    if (topics.dccSubscriptions().includes(filter)) return true;
    const route = topics.route(filter);
    if (route === undefined) return false;
    if (route.channel === 'dccIn') return filter === topics.dccIn(route.party);
    if (route.channel === 'wanUp') return filter === topics.wanUp(route.party);
    return false;
  }

  /** Called by the embedded broker's packet-size guard when it closes a connection. */
  packetRefused(remote: string, packetType: number, length: number, limit: number): void {
    this.refuse({
      action: 'packet',
      clientId: `(connection from ${remote})`,
      principal: '(unknown)',
      rule: 'BROKER-SIZE',
      reason: `MQTT packet type ${packetType} announces ${length} bytes, over the ${limit}-byte limit: connection closed`,
    });
  }

  private refuse(refusal: BrokerRefusal): void {
    this.refusalTotal++;
    this.refusalCounts.set(refusal.rule, (this.refusalCounts.get(refusal.rule) ?? 0) + 1);
    if (this.refusals.length >= (this.options.keptRefusals ?? KEPT_REFUSALS)) return;
    this.refusals.push(refusal);
    this.options.onRefusal?.(refusal);
  }

  /** What the evidence records of this broker's refusals (SHOWN_REFUSALS of them in full). */
  refusalSummary(): BrokerRefusalSummary {
    return {
      total: this.refusalTotal,
      byRule: Object.fromEntries([...this.refusalCounts].sort(([a], [b]) => a.localeCompare(b))),
      first: this.refusals.slice(0, SHOWN_REFUSALS),
    };
  }

  /** The refusals not kept in full, by rule, in one line; undefined when all were kept. */
  unkeptRefusals(): string | undefined {
    const unkept = this.refusalTotal - this.refusals.length;
    if (unkept === 0) return undefined;
    const byRule = [...this.refusalCounts].map(([rule, n]) => `${rule} ${n}`).join(', ');
    return `broker refused ${this.refusalTotal} attempts in all (${byRule}); the first ${this.refusals.length} are recorded, ${unkept} more only counted`;
  }
}

/** One line for the trace and the evidence. */
export function describeRefusal(refusal: BrokerRefusal): string {
  const where = refusal.topic === undefined ? '' : ` on ${refusal.topic}`;
  const who =
    refusal.claimedUsername === undefined
      ? refusal.principal
      : `an unauthenticated client claiming user name ${refusal.claimedUsername}`;
  return `broker refused ${refusal.action} by ${who}${where} (${refusal.rule}): ${refusal.reason}`;
}
