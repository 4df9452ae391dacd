import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formEncode, toQueryString } from '../../src/domain/form-encoding.js';
import { samples } from '../../src/domain/samples.js';

describe('form encoding: what Kazoo does', () => {
  it('joins pairs in key order; keeps [A-Za-z0-9._~-], space as +, other UTF-8 bytes as upper-case %XX', () => {
    assert.equal(
      toQueryString({
        name: 'Front Desk',
        from: '356@acme.sip.example.com',
        to: '*97',
        safe: 'A-z_0.9~',
        t: true,
        f: false,
        n: 42,
        neg: -3,
      }),
      'name=Front+Desk&from=356%40acme.sip.example.com&to=%2A97&safe=A-z_0.9~&t=true&f=false&n=42&neg=-3',
    );
  });

  it('encodes unicode per UTF-8 byte, including 4-byte characters', () => {
    assert.equal(toQueryString({ u: 'João ção €', e: '😀' }), 'u=Jo%C3%A3o+%C3%A7%C3%A3o+%E2%82%AC&e=%F0%9F%98%80');
    assert.equal(formEncode('a+b/c?d=e&f#g%'), 'a%2Bb%2Fc%3Fd%3De%26f%23g%25');
  });

  it('nests objects with brackets and lists of scalars with []', () => {
    assert.equal(toQueryString({ k: { a: 1, b: { c: 'd e' } } }), 'k[a]=1&k[b][c]=d+e');
    assert.equal(toQueryString({ k: ['x', 'y z', 3, true] }), 'k[]=x&k[]=y+z&k[]=3&k[]=true');
    assert.equal(toQueryString({ p: { k: [1, 2] } }), 'p[k][]=1&p[k][]=2');
    assert.equal(
      toQueryString({ custom_channel_vars: { 'Application-Name': 'callflow', 'Bridge-ID': 'abc' } }),
      'custom_channel_vars[Application-Name]=callflow&custom_channel_vars[Bridge-ID]=abc',
    );
  });
});

describe('form encoding: where callhook fixes Kazoo', () => {
  it('percent-encodes keys, leaving the bracket structure literal', () => {
    assert.equal(toQueryString({ 'a b': 1, ü: 2, 'x[y]': 3, o: { 'k&v': 'x' } }), 'a+b=1&%C3%BC=2&x%5By%5D=3&o[k%26v]=x');
  });

  it('writes floats as JavaScript does', () => {
    assert.equal(toQueryString({ rate: 1234.5, small: 0.1, tiny: 1e-7, huge: 1e21 }), 'rate=1234.5&small=0.1&tiny=1e-7&huge=1e%2B21');
  });

  it('sends null as an empty value', () => {
    assert.equal(toQueryString({ a: null, b: [null, 'x'], c: { d: null } }), 'a=&b[]=&b[]=x&c[d]=');
  });

  it('leaves out empty objects and lists instead of emitting empty segments', () => {
    assert.equal(toQueryString({ a: 1, e: {}, l: [], b: 2, n: { inner: {} } }), 'a=1&b=2');
    assert.equal(toQueryString({ e: {} }), '');
    assert.equal(toQueryString({}), '');
  });

  it('indexes lists that hold objects or lists', () => {
    assert.equal(toQueryString({ k: [{ a: 1, b: 2 }, { a: 3 }] }), 'k[0][a]=1&k[0][b]=2&k[1][a]=3');
    assert.equal(toQueryString({ k: [[1, 2], [3]] }), 'k[0][]=1&k[0][]=2&k[1][]=3');
    assert.equal(toQueryString({ k: ['x', { a: 'b c' }] }), 'k[0]=x&k[1][a]=b+c');
    assert.equal(toQueryString({ p: { k: [{ a: [{ b: 1 }] }] } }), 'p[k][0][a][0][b]=1');
  });

  it('encodes a whole channel_create payload', () => {
    const payload = samples()['webhooks_channel_create']?.[0];
    assert.ok(payload);
    assert.equal(
      toQueryString(payload),
      'account_id=7600efb3424dc4b79854521fd4563d0a&authorizing_id=d1cfaa4a5a900e3611ad0905d317aa9c' +
        '&authorizing_type=device&call_direction=inbound&call_id=5a1f7c3e-7d36-4f0e-b2a1-9c0d6e3f2a11' +
        '&caller_id_name=Alice+Desk&caller_id_number=1001&emergency_resource_used=false' +
        '&from=1001%40acme.sip.example.com&local_resource_used=true&is_internal_leg=false' +
        '&owner_id=279ce6441f8a3a522c73797cbed221ed&request=%2B14155550100%40acme.sip.example.com' +
        '&reseller_id=d240bf3a1937301cee910193a54ba0d2&timestamp=63871234567' +
        '&to=%2B14155550100%40acme.sip.example.com&hook_event=channel_create&cluster_id=4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99',
    );
  });
});
