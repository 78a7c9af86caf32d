/** The fixed text of bench/FIGURES.md under the generated figures (figures-doc.ts). */
export const FIGURES_METHOD = `## How to read them

- **Ratios, not absolute figures.** The machine is shared and its load changes from second to
  second. Every ratio sets a figure against a limit measured in the same round, one right after
  the other, so a busy moment slows both sides alike; each ratio is the **median of the
  interleaved rounds**, printed with its range over the rounds (the run-to-run spread). A
  figure measured while the load was high is direction only: re-run on a quiet machine.
- **The limit is the machine's**, not trialsim's own: the bare primitives an SR's work comes
  down to, on every core the machine has (\`os.availableParallelism()\`). The old strict figure
  (trialsim's own unit functions summed on one core) is printed beside it.
- \`npm run bench -- --quick\` runs every figure on smaller workloads and ends with every ratio
  beside its target; it is for direction while working, never for the record.
  \`npm run bench -- --write\` regenerates this file and the README's table from the run.

## Method

1. **SR/s against the limit** (\`bench/sr-throughput.ts\`, \`sr-limit.ts\`, \`bare-limit.ts\`,
   \`bench-stats.ts\`). Two \`SimStack\`s with the embedded aedes broker (its access control, as in
   every run), the DCC, every DCC User as an agent and 32 preinstalled ESMEs, each party with its
   own MQTT client, are started and warmed up (1,000 SRs) once. supplier-a keeps 16 SRs in flight;
   each must end I0; the DCC's trace confirms the messages per SR. 8.1.1 needs its device
   InstalledNotCommissioned, so the bench writes that status into the DCC's SMI before each
   request (outside the message flow). Then, **round by round** (at least 5): the unit costs
   (fastest of three short batches each), then 11.2 end to end, then 8.1.1 end to end.
   - An SR's units (DCC.md §2 flows): 11.2 = 5 broker messages, 3 envelopes, 2 GBCS payloads,
     2 MACs computed + 1 checked; 8.1.1 = 7 broker messages, 5 envelopes, 3 GBCS payloads,
     1 MAC + 1 check, 2 ECDSA signatures + 2 verifications.
   - **Bare limit** = cores / Σ count × bare cost, the bare costs being: a broker message = one
     QoS 1 publish → delivery in a one-way stream between two clients through the same embedded
     broker, access control and client set-up as a run, 300-byte payload, 16 unacknowledged; an
     envelope = raw cbor-x encode + decode with the same settings (no normalising, nesting check or
     zod); a GBCS payload = the GBCS codec itself (it is its own floor), content read by raw
     cbor-x; a MAC = SHA-256 KDF + AES-128-GCM tag over the same bytes (Z from the shared-secret
     cache: ECDH is once per key pair); a signature or verification = node:crypto's native ECDSA
     with a KeyObject made once. Work is assumed to divide perfectly over the cores, so the limit
     is one no real run reaches; the target is half of it.
   - **Strict limit** (the old figure) = 1 / Σ count × trialsim's own unit cost, on one core.
   - **Cost of an SR / its units** = (1 / SR/s) / the strict sum: how much an SR costs beyond the
     work it must do (transport between parties, DCC and device logic, the trace).
   - **Unit wrapper ratios**: each trialsim function against its bare primitive, same inputs.
     Each unit counts its own work once: a MAC computed is \`macInPlace\` (encodeMacProtected's
     MAC step) and a signature \`signDeterministic\` over the bytes already encoded, because the
     GBCS payload unit counts every message's encoding and the bare MAC and signature get the
     encoded bytes too; measuring \`encodeMacProtected\` or \`encodeDeviceSigned\` whole counted
     the encoding twice (#21).
   - For information: the SR's own message pattern between the same parties (no crypto, codec or
     logic) against the one-way stream (\`sr-message-pattern.ts\`), and 11.2 with the devices on one
     shared connection.
2. **Memory and start-up** (\`bench/device-scale.ts\`, \`device-scale-child.ts\`,
   \`fleet-scale-child.ts\`). Each size in a fresh \`node --expose-gc\` process: RSS after two GCs
   before and after \`SimStack.start\` (or \`Fleet.start\`); per device = growth net of a stack with
   no device, DCC-side records included. 50 reads spread over the fleet must come back I0.
3. **Wall time** (\`bench/wall-time.ts\`). \`trialsim run <file> --out <tmp>\` and the whole
   built-in suite in a child process, as a user runs them; \`trialsim --help\` against bare
   \`node -e 0\` (interleaved, median); the suite with \`--parallel 2\` against \`--parallel 1\`
   (interleaved, median; met when 2 pays or the default is the faster).
4. **Virtual time** (\`bench/virtual-time.ts\`; proved without timing in
   \`test/integration/time/virtual-time-cost.test.ts\`): \`VirtualClock.advanceTo\` does one step per
   timer due, so 18 months with nothing scheduled is one assignment.
5. **Scale trial** (\`bench/scale-trial.ts\`): an 18-month trial of 10,000 devices (\`--quick\`:
   1,000), shaped like \`scenarios/full-trial-100.yaml\`, in one process; exit 0, peak RSS per
   device while running and while writing the evidence.

## Fleets

\`harness/fleet/\`: \`Fleet.start({ seed, start, devices, workers, brokerUrl?, remoteShards? })\`
starts a \`SimStack\` with no device of its own (broker unless external, DCC, suppliers, virtual
clock) and forks \`workers\` processes (\`fleet-worker.js\`), each running a share of the devices
(fleet indices, \`fleet-devices.ts\`) as \`DeviceNode\`s on one shared connection, principal
\`device-gateway-<shard>\` (may publish on any \`wan/up/<EUI>\` and subscribe to any
\`wan/down/<EUI>\`, nothing else). The DCC learns the devices' KA keys (SMKI) and SMI records.
\`fleet.settle()\` waits until the bus is quiet here and no device command awaits its answer;
\`fleet.advanceTo()\` moves the clock and the workers' device clocks with it.

**Across machines** — an external broker both machines reach (mosquitto, EMQX, …):

\`\`\`sh
# machine A: the DCC, the suppliers, 50,000 devices in local workers, and the run
Fleet.start({ seed, start, devices: 50_000, workers: 2, brokerUrl: 'mqtt://broker:1883',
              namespace: 'trial-x', remoteShards: [{ shard: 2, first: 50_000, count: 50_000 }] })
# machine B: the other 50,000 devices (same seed, namespace and broker)
node dist/harness/fleet/fleet-worker.js --broker mqtt://broker:1883 --seed SEED \\
  --namespace trial-x --shard 2 --first 50000 --count 50000
\`\`\`

A remote shard waits for the main process's clock (retained on
\`trialsim/v1/<ns>/fleet/clock\`), says it is ready (retained \`fleet/ready/<shard>\`), acknowledges
every time it takes (retained \`fleet/time/<shard>\`: MQTT orders nothing across connections, so
the fleet waits for that before anything else happens — once SRs got faster, a command could
overtake a time change and run at the old time) and stops on \`fleet/stop\`; the main process derives the remote devices' keys from the seed. These control
topics are outside the embedded broker's ACL scheme: remote shards need an external broker that
lets the control clients use them. \`npm run bench -- --broker mqtt://host:port\` puts the fleet
figure on such a broker. \`trialsim run --broker mqtt://…\` runs scenarios on one
(test/integration/broker/external-broker.test.ts runs commissioning.yaml, a two-worker fleet and a
by-hand remote shard against a real mosquitto on loopback; CI needs \`apt-get install -y mosquitto\`).

Device timers (a future-dated 11.3, an activation reboot) run in the workers on clocks that
follow the main process's: every time report says what the devices sent and when their next
timer is due, that instant goes on the main clock as a stop, and \`fleet.settle()\` also waits
for every message the devices said they sent (test/integration/fleet/fleet-device-timers.test.ts).
Limit: \`fleet.stack.devices\` holds no remote device (inspect them through the DCC).
`;
