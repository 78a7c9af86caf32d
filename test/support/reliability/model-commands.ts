import fc from 'fast-check';
import { resolveFirmwareReferences } from '../../../harness/scenario/firmware-references.js';
import { changeOfSupplier } from '../../../harness/stack/churn-operations.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import type { LinkFaultAction } from '../../../simulator/adapters/faults/link-fault.js';
import type { RequestHandle } from '../../../simulator/parties/dcc-user-agent.js';
import {
  allInvariants,
  type CounterSnapshot,
  counterSnapshot,
  countersMonotonic,
  highWater,
} from './system-invariants.js';
import { sendAs } from './trial-world.js';

/**
 * fc.commands over the whole simulated system (SimStack, real embedded broker, persistent
 * sessions): service requests, Change of Supplier, OTA, time, faults. After every command the
 * system invariants are checked; the model itself predicts nothing (faults make outcomes vary),
 * it only remembers what was sent so the end-of-run check can find a lost SR.
 */
export interface SystemModel {
  readonly devices: readonly string[];
}

export interface SystemUnderTest {
  readonly stack: SimStack;
  readonly sent: Set<string>;
  /** SRs whose outcome never reached the user, even after waiting out the deadline. */
  readonly unresolved: string[];
  counters: CounterSnapshot;
  /** What happened, one line per command, for the failure message. */
  readonly log: string[];
}

type SystemCommand = fc.AsyncCommand<SystemModel, SystemUnderTest>;

/** The response deadline plus a margin: after it every dispatched SR has ended (I0, alert or E21). */
const PAST_DEADLINE_MS = 61_000;

/** Waits (virtual time, not real time) until the SR has its outcome, at most a few deadlines. */
async function finish(sut: SystemUnderTest, handle: RequestHandle): Promise<string> {
  let outcome = 'unresolved';
  void handle.final.then((o) => {
    outcome = o.kind === 'response' ? o.response.responseCode : (o.alert.alertCode ?? 'alert');
  });
  for (let attempt = 0; attempt < 4 && outcome === 'unresolved'; attempt++) {
    await sut.stack.settle();
    await Promise.resolve();
    if (outcome !== 'unresolved') break;
    await sut.stack.advanceTo(sut.stack.clock.now() + PAST_DEADLINE_MS);
    await sut.stack.settle();
    // Let the promise callbacks of the last message run before looking.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (outcome === 'unresolved') sut.unresolved.push(handle.requestId);
  return outcome;
}

function checkInvariants(sut: SystemUnderTest, what: string): void {
  const now = counterSnapshot(sut.stack);
  const problems = [...allInvariants(sut.stack, new Set()), ...countersMonotonic(sut.counters, now)];
  sut.counters = highWater(sut.counters, now);
  if (problems.length > 0) {
    throw new Error(`after ${what}:\n  ${problems.join('\n  ')}\nrun so far:\n  ${sut.log.join('\n  ')}`);
  }
}

abstract class Step implements SystemCommand {
  check(): boolean {
    return true;
  }
  async run(_model: SystemModel, sut: SystemUnderTest): Promise<void> {
    const result = await this.apply(sut);
    sut.log.push(`${this.toString()}${result ? ` → ${result}` : ''}`);
    checkInvariants(sut, this.toString());
  }
  protected abstract apply(sut: SystemUnderTest): Promise<string | undefined>;
  /** Runs this step inside another (no invariant check of its own). */
  applyTo(sut: SystemUnderTest): Promise<string | undefined> {
    return this.apply(sut);
  }
  abstract toString(): string;
}

class SendSr extends Step {
  constructor(
    readonly party: string,
    readonly srv: string,
    readonly device: string,
  ) {
    super();
  }
  protected async apply(sut: SystemUnderTest) {
    const handle = sendAs(sut.stack, this.party, this.srv, this.device);
    sut.sent.add(handle.requestId);
    return finish(sut, handle);
  }
  toString() {
    return `${this.party} sends ${this.srv} for ${this.device}`;
  }
}

/** The whole installation path (12.2 → 8.11 → 8.4 → 8.1.1) by one supplier, stopping at a refusal. */
class Commission extends Step {
  constructor(
    readonly party: string,
    readonly device: string,
  ) {
    super();
  }
  protected async apply(sut: SystemUnderTest) {
    const codes: string[] = [];
    for (const srv of ['12.2', '8.11', '8.4', '8.1.1']) {
      const handle = sendAs(sut.stack, this.party, srv, this.device);
      sut.sent.add(handle.requestId);
      const code = await finish(sut, handle);
      codes.push(`${srv} ${code}`);
      if (code !== 'I0') break;
    }
    return codes.join(', ');
  }
  toString() {
    return `${this.party} installs and commissions ${this.device}`;
  }
}

class ChangeSupplier extends Step {
  constructor(
    readonly device: string,
    readonly gaining: string,
  ) {
    super();
  }
  protected async apply(sut: SystemUnderTest) {
    const record = sut.stack.dcc.core.state.smi.get(sut.stack.deviceSpec(this.device).eui);
    if (record === undefined) return 'skipped (not in the SMI)';
    const handle = changeOfSupplier(sut.stack, record.deviceId, this.gaining);
    sut.sent.add(handle.requestId);
    return finish(sut, handle);
  }
  toString() {
    return `CoS of ${this.device} to ${this.gaining}`;
  }
}

/** The firmware the model moves devices between: the trial's maintenance release and 1.0.0. */
type Image = 'acme-e-trial-0.9.1' | 'acme-e-trial-1.0.0';
const VERSION_OF: Record<Image, string> = { 'acme-e-trial-0.9.1': '0.9.1', 'acme-e-trial-1.0.0': '1.0.0' };

class Firmware extends Step {
  constructor(
    readonly srv: '11.1' | '11.3',
    readonly device: string,
    readonly image: Image = 'acme-e-trial-1.0.0',
  ) {
    super();
  }
  protected async apply(sut: SystemUnderTest) {
    const { stack } = sut;
    const spec = stack.deviceSpec(this.device);
    const body = await resolveFirmwareReferences(
      this.srv,
      { firmwareImage: this.image, ...(this.srv === '11.1' ? { deviceIds: [spec.eui] } : {}) },
      stack,
    );
    const handle = sendAs(stack, 'supplier-a', this.srv, this.device, body);
    sut.sent.add(handle.requestId);
    return finish(sut, handle);
  }
  toString() {
    return `supplier-a ${this.srv === '11.1' ? 'distributes' : 'activates'} firmware ${VERSION_OF[this.image]} for ${this.device}`;
  }
}

/**
 * 11.1 then, if the image was distributed, 11.3: the OTA path in one command, so random runs
 * reach activations onto the trial's maintenance release, onto certified firmware and back
 * (a downgrade to trial firmware) often enough.
 */
class Ota extends Step {
  constructor(
    readonly device: string,
    readonly image: Image,
  ) {
    super();
  }
  protected async apply(sut: SystemUnderTest) {
    const distributed = await new Firmware('11.1', this.device, this.image).applyTo(sut);
    if (distributed !== 'I0' && distributed !== 'W110101') return `11.1 ${distributed}`;
    const activated = await new Firmware('11.3', this.device, this.image).applyTo(sut);
    return `11.1 ${distributed}, 11.3 ${activated}`;
  }
  toString() {
    return `supplier-a upgrades ${this.device} to ${VERSION_OF[this.image]} (11.1 + 11.3)`;
  }
}

/**
 * A trial device's whole firmware life in one command, amid whatever faults are set: installed
 * and commissioned on the trial firmware, upgraded to 1.0.0 once it is certified (it leaves the
 * trial), then downgraded to the trial's maintenance release 0.9.1 (it is a trial device again,
 * in its old slot). Random runs of the single commands rarely chain all of that.
 */
class FirmwareLife extends Step {
  constructor(readonly device: string) {
    super();
  }
  protected async apply(sut: SystemUnderTest) {
    const results = [await new Commission('supplier-a', this.device).applyTo(sut)];
    await new ListFirmware('1.0.0', 'CPA-2027-0201').applyTo(sut);
    results.push(`to 1.0.0: ${await new Ota(this.device, 'acme-e-trial-1.0.0').applyTo(sut)}`);
    await new ListFirmware('0.9.1', 'TRIAL-SSC-0001').applyTo(sut);
    results.push(`back to 0.9.1: ${await new Ota(this.device, 'acme-e-trial-0.9.1').applyTo(sut)}`);
    return results.join('; ');
  }
  toString() {
    return `${this.device}: commissioned, upgraded to certified 1.0.0, downgraded to the trial's 0.9.1`;
  }
}

/** SECAS lists firmware for the trial ESME: 1.0.0 with a real CPA certificate, or 0.9.1 under the trial's. */
class ListFirmware extends Step {
  constructor(
    readonly firmwareVersion: string,
    readonly reference: string,
  ) {
    super();
  }
  protected async apply(sut: SystemUnderTest) {
    const { stack } = sut;
    const esme = stack.deviceSpec('esme1');
    // Through the DCC's front door, as SECAS would (dcc-administration.ts).
    await stack.dcc.administer({
      kind: 'addCplEntry',
      entry: {
        deviceType: esme.deviceType,
        manufacturer: esme.manufacturer,
        model: esme.model,
        hardwareVersion: esme.hardwareVersion,
        firmwareVersion: this.firmwareVersion,
        cpaCertificateReference: this.reference,
        status: 'Active',
        imageHash: undefined,
      },
    }).settled;
    await stack.settle();
    return undefined;
  }
  toString() {
    return `SECAS lists firmware ${this.firmwareVersion} under ${this.reference}`;
  }
}

class Advance extends Step {
  constructor(readonly ms: number) {
    super();
  }
  protected async apply(sut: SystemUnderTest) {
    await sut.stack.advanceTo(sut.stack.clock.now() + this.ms);
    return undefined;
  }
  toString() {
    return `advance ${Math.round(this.ms / 60_000)} min`;
  }
}

class Fault extends Step {
  constructor(
    readonly action: LinkFaultAction,
    readonly from: string,
    readonly to: string,
    readonly count: number,
    readonly delayMs: number,
  ) {
    super();
  }
  protected async apply(sut: SystemUnderTest) {
    sut.stack.faults.add({
      from: this.from,
      to: this.to,
      action: this.action,
      count: this.count,
      after: 0,
      probability: 1,
      delayMs: this.delayMs,
    });
    return undefined;
  }
  toString() {
    return `fault: ${this.action} ${this.count} on ${this.from} -> ${this.to}${this.action === 'delay' ? ` by ${this.delayMs} ms` : ''}`;
  }
}

class ClearFaults extends Step {
  protected async apply(sut: SystemUnderTest) {
    sut.stack.faults.clear();
    return undefined;
  }
  toString() {
    return 'clear faults';
  }
}

class BrokerRestart extends Step {
  protected async apply(sut: SystemUnderTest) {
    await sut.stack.restartBroker();
    await sut.stack.settle();
    return undefined;
  }
  toString() {
    return 'broker restart';
  }
}

class Reboot extends Step {
  constructor(readonly device: string) {
    super();
  }
  protected async apply(sut: SystemUnderTest) {
    const node = sut.stack.device(this.device);
    await node.setPower(false);
    await sut.stack.settle();
    await node.setPower(true);
    await sut.stack.settle();
    return undefined;
  }
  toString() {
    return `reboot ${this.device}`;
  }
}

/**
 * Faults the model injects. User ↔ DCC is DUIS over TLS in the field: it may duplicate and
 * reorder (retries), but a lost or garbled request is the User's own timeout to handle, not an
 * SR the DCC could record — so drop and corrupt are injected on the WAN (DCC ↔ device) only.
 */
function faultArb(devices: readonly string[]): fc.Arbitrary<SystemCommand> {
  const device = fc.constantFrom(...devices);
  const count = fc.integer({ min: 1, max: 5 });
  return fc.oneof(
    fc
      .tuple(
        fc.constantFrom<LinkFaultAction>('drop', 'duplicate', 'corrupt', 'delay'),
        fc.boolean(),
        device,
        count,
        fc.integer({ min: 1_000, max: 120_000 }),
      )
      .map(([action, down, d, n, delay]) => new Fault(action, down ? 'dcc' : d, down ? d : 'dcc', n, delay)),
    fc
      .tuple(
        fc.constantFrom<LinkFaultAction>('duplicate', 'delay'),
        fc.constantFrom('supplier-a', 'supplier-b'),
        count,
        fc.integer({ min: 1_000, max: 30_000 }),
      )
      .map(([action, party, n, delay]) => new Fault(action, party, 'dcc', n, delay)),
    fc
      .tuple(fc.constantFrom('supplier-a', 'supplier-b'), count)
      .map(([party, n]) => new Fault('duplicate', 'dcc', party, n, 0)),
  );
}

export function systemCommands(
  devices: readonly string[],
  maxCommands: number,
): fc.Arbitrary<Iterable<SystemCommand>> {
  const esmes = devices.filter((d) => d.startsWith('esme'));
  const esme = fc.constantFrom(...esmes);
  const supplier = fc.constantFrom('supplier-a', 'supplier-b');
  // Weighted towards the commissioning path so runs reach commissioned devices and the trial cap.
  const commissioning = fc
    .tuple(supplier, fc.constantFrom('12.2', '8.11', '8.4', '8.1.1'), esme)
    .map(([p, srv, d]) => new SendSr(p, srv, d));
  const operation = fc
    .tuple(
      fc.constantFrom('supplier-a', 'supplier-b', 'network-operator'),
      fc.constantFrom('11.2', '4.1.1', '6.13', '8.2', '8.3'),
      fc.constantFrom(...devices),
    )
    .map(([p, srv, d]) => new SendSr(p, srv, d));
  const ota = fc
    .tuple(esme, fc.constantFrom<Image>('acme-e-trial-0.9.1', 'acme-e-trial-1.0.0'))
    .map(([d, image]) => new Ota(d, image));
  return fc.commands(
    [
      commissioning,
      fc.tuple(supplier, esme).map(([p, d]) => new Commission(p, d)),
      fc.tuple(supplier, esme).map(([p, d]) => new Commission(p, d)),
      operation,
      fc.tuple(esme, supplier).map(([d, s]) => new ChangeSupplier(d, s)),
      fc
        .tuple(fc.constantFrom('11.1' as const, '11.3' as const), esme)
        .map(([srv, d]) => new Firmware(srv, d)),
      // Three times: an upgrade and then a downgrade back to trial firmware take two OTAs.
      ota,
      ota,
      ota,
      esme.map((d) => new FirmwareLife(d)),
      fc.constant(new ListFirmware('1.0.0', 'CPA-2027-0201')),
      fc.constant(new ListFirmware('0.9.1', 'TRIAL-SSC-0001')),
      fc.integer({ min: 60_000, max: 20 * 86_400_000 }).map((ms) => new Advance(ms)),
      faultArb(devices),
      faultArb(devices),
      fc.constant(new ClearFaults()),
      fc.constant(new BrokerRestart()),
      fc.constantFrom(...devices).map((d) => new Reboot(d)),
    ],
    { maxCommands, size: 'max' },
  );
}

/** After the random commands: faults off, every deadline passed; then nothing may be lost. */
export async function drain(sut: SystemUnderTest): Promise<string[]> {
  sut.stack.faults.clear();
  await sut.stack.settle();
  await sut.stack.advanceTo(sut.stack.clock.now() + 3 * PAST_DEADLINE_MS);
  await sut.stack.settle();
  const state = sut.stack.dcc.core.state;
  return [
    ...allInvariants(sut.stack, sut.sent),
    ...sut.unresolved.map((id) => `${id}: the user never received an outcome`),
    // Past every deadline nothing may still wait: no command pending, no CV 4 without its CV 5.
    ...[...state.pending.values()].map((p) => `${p.requestId} still pending after its deadline`),
    ...[...state.transforms.keys()].map((id) => `${id}: CV 4 transform never completed`),
  ];
}
