import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type DuisServer,
  type EmbeddedBroker,
  MqttTransport,
  startEmbeddedBroker,
  ZAZ1_FILES,
} from '../../simulator/adapters/index.js';
import { exportPki } from '../../simulator/pki/index.js';
import { type ConsoleServer, startConsoleServer } from '../console/console-server.js';
import { FIXTURES_DIR } from '../package-root.js';
import type { LoadedScenario } from '../scenario/scenario-loader.js';
import { approveTrials } from '../scenario/scenario-runner.js';
import { type DuisEndpointOptions, startDuisEndpoint } from '../stack/duis-endpoint.js';
import { DCC_EUI, DEFAULT_PARTIES } from '../stack/parties.js';
import { SimStack } from '../stack/sim-stack.js';
import { STOPPED, watchStatusTopic, watchTopic } from '../watch/watch-topic.js';
import { LiveStack } from './live-stack.js';
import { UP_FILE, type UpConnection, writeSelfIgnore, writeUpConnection } from './up-connection.js';

/** Where `duis send` finds the DCC's DSP XmlSign certificate and the Users' XmlSign keys. */
function duisKeyFiles(pki: 'trialsim' | 'zaz1', pkiDir: string) {
  if (pki === 'zaz1') {
    const dir = join(FIXTURES_DIR, 'duis', 'zaz1');
    return { dspCertificateFile: join(dir, ZAZ1_FILES.dspCertificate), userKeyDir: dir };
  }
  return { dspCertificateFile: join(pkiDir, 'acb-xml-sign.pem'), userKeyDir: pkiDir };
}

/** The DUIS endpoint's test TLS CA certificate (`up --duis-tls`), in the exported PKI folder. */
export const DUIS_TLS_CA_FILE = 'duis-tls-ca.pem';

/** Real ms between moves of virtual time while `up` runs (virtual time follows real time). */
const TICK_MS = 250;

export interface UpOptions {
  readonly port: number;
  readonly host: string;
  readonly seed: string;
  readonly dir: string;
  readonly namespace: string;
  /**
   * The access control of `run` (`up --auth`): the stack's own broker, each party logged in as
   * itself; no decoded-message stream on the bus (the access control has no reader for it; the
   * console still shows it). Default: an open broker of its own.
   */
  readonly auth?: boolean;
  readonly duis?: DuisEndpointOptions;
  /** Serve the web console on this port (and `consoleHost`, loopback by default). */
  readonly console?: { readonly port: number; readonly host: string };
  /** Where problems of the running stack go (a failed clock tick). */
  readonly onError: (err: unknown) => void;
}

/**
 * A scenario's set-up as a running stack (`trialsim up`): an open broker, the DCC, every DCC
 * User and the simulated devices, trials approved, the PKI exported and `up.json` written for
 * other processes; virtual time following real time; the decoded message stream published on
 * the watch topic; optionally DUIS over HTTP and the web console.
 */
export class UpSession {
  private constructor(
    readonly scenario: LoadedScenario,
    /** The open broker `up` started; undefined with --auth (the stack's own broker then). */
    readonly broker: EmbeddedBroker | undefined,
    readonly live: LiveStack,
    readonly connection: UpConnection,
    readonly upFile: string,
    private readonly dir: string,
    private readonly feedLink: MqttTransport | undefined,
    private readonly stopFeed: () => void,
    readonly duis: DuisServer | undefined,
    readonly consoleServer: ConsoleServer | undefined,
  ) {}

  static async start(scenario: LoadedScenario, options: UpOptions): Promise<UpSession> {
    const broker = options.auth
      ? undefined
      : await startEmbeddedBroker({ port: options.port, host: options.host });
    let stack: SimStack | undefined;
    let live: LiveStack | undefined;
    let feedLink: MqttTransport | undefined;
    let duis: DuisServer | undefined;
    let consoleServer: ConsoleServer | undefined;
    try {
      stack = await SimStack.start({
        seed: options.seed,
        start: scenario.start,
        devices: scenario.devices,
        cpl: scenario.cpl,
        ...(broker === undefined
          ? { brokerPort: options.port, brokerHost: options.host }
          : { brokerUrl: broker.url }),
        namespace: options.namespace,
      });
      const problem = await approveTrials(scenario, stack);
      if (problem !== undefined) throw new Error(problem.message);
      let tlsCaPem: string | undefined;
      if (options.duis !== undefined)
        ({ server: duis, tlsCaPem } = await startDuisEndpoint(stack, options.duis));
      live = new LiveStack(stack, scenario.start, options.onError);
      // The stream goes out on its own connection, outside the stack's activity tracking, so
      // watching never delays settle().
      const topic = watchTopic(options.namespace);
      const link =
        broker === undefined
          ? undefined
          : await MqttTransport.connect({ url: broker.url, clientId: `${options.namespace}-watch-feed` });
      feedLink = link;
      const stopFeed =
        link === undefined
          ? () => {}
          : live.feed.subscribe((batch) => {
              for (const entry of batch)
                link.publish(topic, Buffer.from(JSON.stringify(entry))).catch(options.onError);
            }, 'the watch stream');
      if (options.console !== undefined) consoleServer = await startConsoleServer(live, options.console);
      const dir = resolve(options.dir);
      const pkiDir = join(dir, 'pki');
      await rm(pkiDir, { recursive: true, force: true });
      await mkdir(pkiDir, { recursive: true });
      await writeSelfIgnore(dir);
      await exportPki(stack.pki, pkiDir);
      // Beside the SMKI files, not in index.json: the TLS CA is the endpoint's, not an SMKI party's.
      const tlsCaFile = tlsCaPem === undefined ? undefined : join(pkiDir, DUIS_TLS_CA_FILE);
      if (tlsCaFile !== undefined) await writeFile(tlsCaFile, tlsCaPem as string);
      const topics = stack.topics;
      const connection: UpConnection = {
        brokerUrl: stack.brokerUrl,
        auth: options.auth === true,
        namespace: options.namespace,
        topics: {
          dccIn: topics.dccIn('{userEUI}' as never),
          dccOut: topics.dccOut('{userEUI}' as never),
          wanDown: topics.wanDown('{deviceEUI}' as never),
          wanUp: topics.wanUp('{deviceEUI}' as never),
        },
        seed: options.seed,
        dccEui: DCC_EUI,
        scenario: scenario.file,
        virtualStart: new Date(scenario.start).toISOString(),
        pkiDir,
        parties: DEFAULT_PARTIES.map((p) => ({
          name: p.name,
          eui: p.eui,
          ...(p.userRole === undefined ? {} : { userRole: p.userRole }),
          dsKeyFile: join(pkiDir, `${p.name}-ds.key.pem`),
        })),
        devices: scenario.devices.map((d) => ({
          id: d.id,
          eui: d.eui,
          deviceType: d.deviceType,
          manufacturer: d.manufacturer,
          model: d.model,
          hardwareVersion: d.hardwareVersion,
          firmwareVersion: d.firmwareVersion,
          supplier: d.supplier,
          networkOperator: d.networkOperator,
          ...(d.chf === undefined ? {} : { chf: d.chf }),
          preinstalled: d.preinstalled,
        })),
        ...(duis === undefined || options.duis === undefined
          ? {}
          : {
              duis: {
                url: duis.url,
                pki: options.duis.pki,
                ...duisKeyFiles(options.duis.pki, pkiDir),
                ...(tlsCaFile === undefined ? {} : { tlsCaFile }),
              },
            }),
        ...(link === undefined ? {} : { watchTopic: topic }),
        ...(consoleServer === undefined ? {} : { consoleUrl: consoleServer.url }),
        pid: process.pid,
      };
      const upFile = await writeUpConnection(dir, connection);
      live.clock.follow(TICK_MS);
      return new UpSession(
        scenario,
        broker,
        live,
        connection,
        upFile,
        dir,
        link,
        stopFeed,
        duis,
        consoleServer,
      );
    } catch (err) {
      live?.close();
      await consoleServer?.stop();
      await feedLink?.close();
      await duis?.stop();
      await stack?.stop();
      await broker?.close();
      throw err;
    }
  }

  /** A first command to try that works on this stack (an 8.2 of a device already in the SMI). */
  hint(): string {
    const stackOption = this.dir === resolve('.trialsim/up') ? '' : ` --stack ${this.dir}`;
    const known = this.scenario.devices.find((d) => d.preinstalled);
    if (known !== undefined)
      return `trialsim sr${stackOption} --as ${known.supplier} --srv 8.2 --device ${known.id}`;
    // No device is in the SMI yet: pre-notify one (12.2) first.
    const next = this.scenario.devices[0];
    return next === undefined
      ? `trialsim sr${stackOption} --as supplier-a --srv 12.2 --device <id>`
      : `trialsim sr${stackOption} --as ${next.supplier} --srv 12.2 --device ${next.id}`;
  }

  private stopping: Promise<void> | undefined;

  /** Stops everything, once (a second call waits for the first). */
  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    this.live.close();
    this.stopFeed();
    // Watchers end when the stack does (they would otherwise wait on a broker that is gone).
    const status = watchStatusTopic(this.connection.watchTopic ?? watchTopic(this.connection.namespace));
    await this.feedLink?.publish(status, Buffer.from(STOPPED)).catch(() => {});
    await rm(join(this.dir, UP_FILE), { force: true });
    await this.consoleServer?.stop();
    await this.feedLink?.close().catch(() => {});
    await this.duis?.stop();
    await this.live.stack.stop();
    await this.broker?.close();
  }
}
