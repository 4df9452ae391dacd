import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientUrlProblem, isAddressAllowed, parseCidr, parseCidrs } from '../../src/domain/networks.js';

describe('destination address policy', () => {
  it('allows global unicast and refuses every local, private or special form', () => {
    for (const ok of ['8.8.8.8', '203.0.114.1', '2001:4860:4860::8888']) assert.equal(isAddressAllowed(ok, []), true, ok);
    for (const blocked of [
      '127.0.0.1',
      '127.5.6.7',
      '0.0.0.0',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      assert.equal(isAddressAllowed(blocked, []), false, blocked);
    }
  });

  it('lets configured networks through, mapped IPv6 forms included', () => {
    const allowed = parseCidrs(['127.0.0.0/8', '10.20.0.0/16']);
    assert.equal(isAddressAllowed('127.0.0.1', allowed), true);
    assert.equal(isAddressAllowed('::ffff:127.0.0.1', allowed), true);
    assert.equal(isAddressAllowed('10.20.3.4', allowed), true);
    assert.equal(isAddressAllowed('10.21.3.4', allowed), false);
    assert.equal(parseCidr('not a cidr'), null);
  });

  it('checks hook URIs: scheme, localhost names, literal addresses in any spelling', () => {
    assert.equal(clientUrlProblem('https://crm.example.com/hook', []), null);
    assert.notEqual(clientUrlProblem('ftp://crm.example.com/hook', []), null);
    assert.notEqual(clientUrlProblem('not a url', []), null);
    for (const local of [
      'http://localhost/x',
      'http://LOCALHOST./x',
      'http://api.localhost/x',
      'http://127.0.0.1/x',
      'http://2130706433/x',
      'http://0x7f.1/x',
      'http://[::1]/x',
      'http://[::ffff:7f00:1]/x',
      'http://169.254.169.254/latest/meta-data',
    ]) {
      assert.notEqual(clientUrlProblem(local, []), null, local);
    }
    const loopback = parseCidrs(['127.0.0.0/8']);
    assert.equal(clientUrlProblem('http://localhost:8080/x', loopback), null);
    assert.equal(clientUrlProblem('http://127.0.0.1:8080/x', loopback), null);
  });

  it('names the setting that would allow a refused address, with a range to put in it', () => {
    assert.match(
      clientUrlProblem('http://localhost:8080/x', []) ?? '',
      /loopback; set CALLHOOK_ALLOWED_NETWORKS \(e\.g\. 127\.0\.0\.0\/8\)/,
    );
    assert.match(clientUrlProblem('http://127.0.0.1:8080/x', []) ?? '', /CALLHOOK_ALLOWED_NETWORKS \(e\.g\. 127\.0\.0\.0\/8\)/);
    assert.match(clientUrlProblem('http://10.1.2.3/x', []) ?? '', /CALLHOOK_ALLOWED_NETWORKS \(e\.g\. 10\.0\.0\.0\/8\)/);
    assert.match(clientUrlProblem('http://192.168.7.7/x', []) ?? '', /e\.g\. 192\.168\.0\.0\/16/);
    assert.match(clientUrlProblem('http://169.254.169.254/x', []) ?? '', /e\.g\. 169\.254\.169\.254\/32/);
    assert.match(clientUrlProblem('http://[::1]/x', []) ?? '', /e\.g\. ::1\/128/);
  });
});
