import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountNetworkPolicy, grantedRanges, networkPolicy } from '../../src/domain/network-policy.js';
import { parseCidrs } from '../../src/domain/networks.js';

describe('account network policy', () => {
  it('is the global ranges plus those of the account and every account above it', () => {
    const policy = accountNetworkPolicy(parseCidrs(['127.0.0.0/8']), [
      { name: 'master' },
      { name: 'reseller', allowed_networks: ['10.20.0.0/16'] },
      { name: 'customer', allowed_networks: ['192.168.7.0/24', 'fd00::/8'] },
    ]);
    assert.equal(policy.key, '10.20.0.0/16,127.0.0.0/8,192.168.7.0/24,fd00::/8');
    assert.equal(policy.cidrs.length, 4);
  });

  it('gives equal sets equal keys, however they were written', () => {
    const a = networkPolicy(parseCidrs(['10.1.2.3/8', '127.0.0.1/32']));
    const b = networkPolicy(parseCidrs(['127.0.0.1/32', '10.0.0.0/8', '10.0.0.0/8']));
    assert.equal(a.key, b.key);
    assert.equal(b.cidrs.length, 2);
    assert.equal(networkPolicy([]).key, '');
  });

  it('skips what is not a range list', () => {
    assert.deepEqual(grantedRanges({ allowed_networks: 'everything' }), []);
    assert.deepEqual(grantedRanges({ allowed_networks: ['nonsense', 7, '10.0.0.0/8'] }).length, 1);
  });
});
