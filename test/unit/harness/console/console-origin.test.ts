import { describe, expect, it } from 'vitest';
import { consoleOrigins, originProblem } from '../../../../harness/console/console-origin.js';

const allowed = consoleOrigins('127.0.0.1', 8099);
const own = { host: '127.0.0.1:8099' };

describe('the console refuses requests that did not come from its own pages', () => {
  it('accepts its own page (same origin, either loopback name) and clients outside a browser', () => {
    expect(
      originProblem(
        'GET',
        { ...own, origin: 'http://127.0.0.1:8099', 'sec-fetch-site': 'same-origin' },
        allowed,
      ),
    ).toBeUndefined();
    expect(
      originProblem('GET', { host: 'localhost:8099', origin: 'http://localhost:8099' }, allowed),
    ).toBeUndefined();
    expect(originProblem('GET', own, allowed)).toBeUndefined();
    expect(originProblem('POST', { ...own, 'content-type': 'application/json' }, allowed)).toBeUndefined();
  });

  it('refuses another origin, on GET (an event stream) as on POST', () => {
    expect(originProblem('GET', { ...own, origin: 'http://evil.example' }, allowed)).toMatch(
      /evil\.example are refused/,
    );
    expect(
      originProblem(
        'POST',
        { ...own, origin: 'http://127.0.0.1:8100', 'content-type': 'application/json' },
        allowed,
      ),
    ).toMatch(/refused/);
    expect(originProblem('GET', { ...own, 'sec-fetch-site': 'cross-site' }, allowed)).toMatch(/cross-site/);
  });

  it('refuses a foreign Host (DNS rebinding) and a POST that is not JSON (a cross-site form)', () => {
    expect(originProblem('GET', { host: 'attacker.example:8099' }, allowed)).toMatch(/not this console/);
    expect(originProblem('GET', {}, allowed)).toMatch(/not this console/);
    expect(
      originProblem('POST', { ...own, 'content-type': 'application/x-www-form-urlencoded' }, allowed),
    ).toMatch(/application\/json/);
    expect(originProblem('PUT', { ...own, 'content-type': 'application/json' }, allowed)).toMatch(/not used/);
  });
});
