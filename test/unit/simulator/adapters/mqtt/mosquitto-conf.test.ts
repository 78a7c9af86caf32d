import { describe, expect, it } from 'vitest';
import { mosquittoConfFile } from '../../../../../simulator/adapters/mqtt/mosquitto-acl.js';

describe('mosquitto configuration for a run (mosquitto-acl.ts)', () => {
  const conf = mosquittoConfFile({ port: 1884, passwordFile: '/etc/t/passwd', aclFile: '/etc/t/acl' });
  const lines = conf.trimEnd().split('\n');

  it('set_tcp_nodelay true: request/response traffic must not wait out delayed ACKs', () => {
    expect(lines).toContain('set_tcp_nodelay true');
  });

  it('no anonymous clients; the generated password and ACL files; loopback unless told otherwise', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'listener 1884 127.0.0.1',
        'allow_anonymous false',
        'password_file /etc/t/passwd',
        'acl_file /etc/t/acl',
      ]),
    );
    expect(mosquittoConfFile({ port: 1, host: '0.0.0.0', passwordFile: 'p', aclFile: 'a' })).toMatch(
      /^listener 1 0\.0\.0\.0$/m,
    );
  });
});
