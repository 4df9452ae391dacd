import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCidrs } from '../../../src/domain/networks.js';
import { reachOfTarget, TargetCache } from '../../../src/delivery/send/targets.js';

describe('send targets', () => {
  const loopback = parseCidrs(['127.0.0.0/8']);

  it('reads origin, path and host from the URL as the WHATWG parser normalises it', () => {
    const target = new TargetCache().get('http://[::1]:8080/hooks/in?a=1#frag');
    assert.deepEqual(
      { protocol: target.protocol, origin: target.origin, path: target.path, host: target.host },
      { protocol: 'http:', origin: 'http://[::1]:8080', path: '/hooks/in?a=1', host: '::1' },
    );
    // 0x7f.1 is 127.0.0.1 to the parser, so it is judged as that address.
    assert.equal(new TargetCache().get('http://0x7f.1/').host, '127.0.0.1');
  });

  it('judges a literal address by the account ranges, and leaves a name to the connection guard', () => {
    const cache = new TargetCache();
    assert.equal(reachOfTarget(cache.get('http://127.0.0.1:9/'), []), 'blocked');
    assert.equal(reachOfTarget(cache.get('http://127.0.0.1:9/'), loopback), 'private');
    assert.equal(reachOfTarget(cache.get('http://[::ffff:127.0.0.1]/'), []), 'blocked');
    assert.equal(reachOfTarget(cache.get('https://8.8.8.8/'), []), 'public');
    assert.equal(reachOfTarget(cache.get('https://crm.example.com/'), []), 'public');
  });

  it('parses each URL once and stays within its size', () => {
    const cache = new TargetCache(2);
    const first = cache.get('http://127.0.0.1/a');
    assert.equal(cache.get('http://127.0.0.1/a'), first);
    cache.get('http://127.0.0.1/b');
    cache.get('http://127.0.0.1/c');
    assert.notEqual(cache.get('http://127.0.0.1/a'), first, 'dropped when full, then parsed again');
  });

  it('refuses what is not a URL, and does not keep it', () => {
    const cache = new TargetCache();
    assert.throws(() => cache.get('not a url'), { code: 'ERR_INVALID_URL' });
    assert.throws(() => cache.get('not a url'), { code: 'ERR_INVALID_URL' });
  });
});
