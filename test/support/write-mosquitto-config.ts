/**
 * Writes mosquitto configuration enforcing trialsim's per-party broker rules for runs of the
 * given scenarios with one seed (RELIABILITY.md, "External broker"):
 *
 *   npx tsx test/support/write-mosquitto-config.ts --seed <seed> --out <dir> scenarios/*.yaml
 *   mosquitto_passwd -U <dir>/passwd && mosquitto -c <dir>/mosquitto.conf
 *   trialsim run --seed <seed> --broker mqtt://127.0.0.1:1883 scenarios/*.yaml
 *
 * (A tool, not a test; it lives here until the CLI grows a command for it.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenario } from '../../harness/scenario/scenario-loader.js';
import { USER_PARTIES } from '../../harness/stack/parties.js';
import type { BrokerPrincipal } from '../../simulator/adapters/mqtt/broker-access-control.js';
import {
  mosquittoAclFile,
  mosquittoConfFile,
  mosquittoPasswordFile,
} from '../../simulator/adapters/mqtt/mosquitto-acl.js';
import { Topics } from '../../simulator/adapters/wire/topics.js';

const { values, positionals } = parseArgs({
  options: { seed: { type: 'string' }, out: { type: 'string' }, port: { type: 'string', default: '1883' } },
  allowPositionals: true,
});
if (values.seed === undefined || values.out === undefined || positionals.length === 0) {
  process.stderr.write(
    'usage: write-mosquitto-config.ts --seed <seed> --out <dir> [--port 1883] <scenario.yaml>...\n',
  );
  process.exit(2);
}
const principals: BrokerPrincipal[] = [
  { role: 'dcc' },
  ...USER_PARTIES.map((p): BrokerPrincipal => ({ role: 'user', eui: p.eui })),
];
const devices = new Set<string>();
for (const file of positionals) {
  const scenario = await loadScenario(resolve(file));
  if (scenario.definition.seed !== undefined && scenario.definition.seed !== values.seed) {
    process.stderr.write(
      `${file} sets its own seed (${scenario.definition.seed}): its parties' passwords differ\n`,
    );
  }
  for (const device of scenario.devices) {
    if (!devices.has(device.eui)) principals.push({ role: 'device', eui: device.eui });
    devices.add(device.eui);
  }
}
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'acl'), mosquittoAclFile(new Topics('any'), principals, { anyNamespace: true }));
writeFileSync(join(out, 'passwd'), mosquittoPasswordFile(values.seed, principals), { mode: 0o600 });
writeFileSync(
  join(out, 'mosquitto.conf'),
  mosquittoConfFile({
    port: Number(values.port),
    passwordFile: join(out, 'passwd'),
    aclFile: join(out, 'acl'),
  }),
);
process.stdout.write(
  `wrote ${out}/{acl,passwd,mosquitto.conf} for ${principals.length} parties; now run mosquitto_passwd -U ${join(out, 'passwd')}\n`,
);
