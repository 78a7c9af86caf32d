import { describe, expect, it } from 'vitest';
import { withoutCredentials } from '../../../../harness/evidence/scenario-capture.js';

describe('the broker as the evidence names it', () => {
  it('an external broker URL is recorded without the username and password it carried', () => {
    expect(withoutCredentials('mqtts://dut:s3cret@broker.example:8883')).toBe('mqtts://broker.example:8883');
    expect(withoutCredentials('mqtt://broker.example:1883')).toBe('mqtt://broker.example:1883');
    expect(withoutCredentials('not a url //user:pw@host')).toBe('not a url //host');
  });
});
