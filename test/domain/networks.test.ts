import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrText, clientUrlProblem, isAddressAllowed, parseAddress, parseCidr, parseCidrs, reachOf } from '../../src/domain/networks.js';

/** Internal and special addresses in every form a hook URI can spell them, each with why it is not public. */
const internalUrls: ReadonlyArray<[string, string]> = [
  // IPv4 loopback, every spelling the WHATWG parser turns into 127.0.0.1
  ['http://127.0.0.1/', 'loopback'],
  ['http://127.255.255.254/', 'loopback, end of 127/8'],
  ['http://127.1/', 'loopback, short form'],
  ['http://2130706433/', 'loopback, decimal'],
  ['http://017700000001/', 'loopback, octal'],
  ['http://0x7f000001/', 'loopback, hex'],
  ['http://0x7f.1/', 'loopback, mixed hex'],
  ['http://0177.0.0.1/', 'loopback, octal first part'],
  ['http://127.0.0.1./', 'loopback, trailing dot'],
  ['http://１２７.０.０.１/', 'loopback, full-width digits'],
  ['http://127.0.0.1:8080/', 'loopback with a port'],
  ['https://user:pass@127.0.0.1/', 'loopback with credentials'],
  // names every resolver answers with loopback
  ['http://localhost/', 'localhost'],
  ['http://LOCALHOST./', 'localhost, upper case, trailing dot'],
  ['http://api.localhost/', 'a .localhost name'],
  ['http://localhost.localdomain/', 'Debian hosts alias'],
  ['http://ip6-localhost/', 'Debian hosts alias (IPv6)'],
  // the unspecified address reaches the host itself
  ['http://0.0.0.0/', 'unspecified'],
  ['http://0/', 'unspecified, decimal'],
  ['http://0.1.2.3/', '0.0.0.0/8'],
  ['http://[::]/', 'IPv6 unspecified'],
  // RFC 1918, CGNAT, link-local (cloud metadata)
  ['http://10.0.0.1/', 'private 10/8'],
  ['http://167772161/', 'private 10/8, decimal'],
  ['http://0x0a000001/', 'private 10/8, hex'],
  ['http://10.1/', 'private 10/8, short form'],
  ['http://172.16.0.1/', 'private 172.16/12'],
  ['http://172.31.255.255/', 'private 172.16/12, end'],
  ['http://192.168.1.1/', 'private 192.168/16'],
  ['http://192.168.1.1./', 'private 192.168/16, trailing dot'],
  ['http://0xc0.0xa8.1.1/', 'private 192.168/16, hex'],
  ['http://100.64.0.1/', 'CGNAT 100.64/10'],
  ['http://100.127.255.254/', 'CGNAT, end'],
  ['http://169.254.169.254/latest/meta-data', 'link-local (cloud metadata)'],
  ['http://2852039166/', 'link-local, decimal'],
  // special-purpose IPv4
  ['http://192.0.0.1/', 'IETF protocol assignments 192.0.0/24'],
  ['http://192.0.2.1/', 'documentation TEST-NET-1'],
  ['http://198.51.100.1/', 'documentation TEST-NET-2'],
  ['http://203.0.113.1/', 'documentation TEST-NET-3'],
  ['http://198.18.0.1/', 'benchmarking 198.18/15'],
  ['http://198.19.255.1/', 'benchmarking, end'],
  ['http://192.88.99.1/', '6to4 relay anycast'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://239.255.255.250/', 'multicast (SSDP)'],
  ['http://240.0.0.1/', 'reserved 240/4'],
  ['http://255.255.255.255/', 'broadcast'],
  // IPv6 local and special
  ['http://[::1]/', 'IPv6 loopback'],
  ['http://[0:0:0:0:0:0:0:1]/', 'IPv6 loopback, long form'],
  ['http://[fe80::1]/', 'IPv6 link-local'],
  ['http://[febf::1]/', 'IPv6 link-local, end'],
  ['http://[fc00::1]/', 'IPv6 unique local'],
  ['http://[fd12:3456::1]/', 'IPv6 unique local (fd)'],
  ['http://[fec0::1]/', 'IPv6 site-local (deprecated)'],
  ['http://[ff02::1]/', 'IPv6 multicast'],
  ['http://[100::1]/', 'IPv6 discard'],
  ['http://[2001:db8::1]/', 'IPv6 documentation'],
  ['http://[3fff::1]/', 'IPv6 documentation (RFC 9637)'],
  ['http://[2001::1]/', 'Teredo'],
  ['http://[2001:2::1]/', 'IPv6 benchmarking'],
  ['http://[2001:10::1]/', 'ORCHID'],
  ['http://[5f00::1]/', 'segment routing'],
  ['http://[4000::1]/', 'outside 2000::/3'],
  ['http://[64:ff9b:1::1]/', 'local-use NAT64'],
  // IPv6 forms carrying an internal IPv4 address
  ['http://[::127.0.0.1]/', 'IPv4-compatible loopback (::/96)'],
  ['http://[::7f00:1]/', 'IPv4-compatible loopback, hex'],
  ['http://[::10.0.0.1]/', 'IPv4-compatible private'],
  ['http://[::8.8.8.8]/', 'IPv4-compatible, even public (::/96 is deprecated and unrouted)'],
  ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback'],
  ['http://[::ffff:7f00:1]/', 'IPv4-mapped loopback, hex'],
  ['http://[::ffff:169.254.169.254]/', 'IPv4-mapped metadata'],
  ['http://[::ffff:a00:1]/', 'IPv4-mapped private, hex'],
  ['http://[::ffff:0:127.0.0.1]/', 'IPv4-translated (RFC 6145)'],
  ['http://[64:ff9b::127.0.0.1]/', 'NAT64 loopback'],
  ['http://[64:ff9b::a00:1]/', 'NAT64 private'],
  ['http://[64:ff9b::a9fe:a9fe]/', 'NAT64 metadata'],
  ['http://[2002:7f00:1::1]/', '6to4 loopback'],
  ['http://[2002:c0a8:101::1]/', '6to4 private'],
  ['http://[2002:a9fe:a9fe::]/', '6to4 metadata'],
];

const publicUrls = [
  'https://crm.example.com/hook',
  'http://8.8.8.8/',
  'http://134744072/',
  'http://203.0.114.1/',
  'http://[2001:4860:4860::8888]/',
  'http://[2606:4700::1111]/',
  'http://[::ffff:8.8.8.8]/',
  'http://[64:ff9b::808:808]/',
  'http://[2002:808:808::1]/',
  'http://172.32.0.1/',
  'http://100.128.0.1/',
];

describe('destination address policy', () => {
  it(`refuses ${internalUrls.length} internal and special forms of a hook URI`, () => {
    assert.ok(internalUrls.length >= 75);
    for (const [uri, what] of internalUrls) assert.notEqual(clientUrlProblem(uri, []), null, `${what}: ${uri}`);
  });

  it('accepts public hosts, tunnelled forms judged by the IPv4 address they carry', () => {
    for (const uri of publicUrls) assert.equal(clientUrlProblem(uri, []), null, uri);
  });

  it('judges connect-time addresses the same way', () => {
    for (const [uri, what] of internalUrls) {
      const host = new URL(uri).hostname.replace(/^\[|\]$/g, '');
      if (parseAddress(host) === null) continue;
      assert.equal(isAddressAllowed(host, []), false, `${what}: ${host}`);
    }
    for (const ok of ['8.8.8.8', '2001:4860:4860::8888', '::ffff:8.8.8.8']) assert.equal(isAddressAllowed(ok, []), true, ok);
    assert.equal(isAddressAllowed('not an address', []), false);
  });

  it('refuses other schemes and non-URLs', () => {
    assert.notEqual(clientUrlProblem('ftp://crm.example.com/hook', []), null);
    assert.notEqual(clientUrlProblem('not a url', []), null);
    assert.notEqual(clientUrlProblem('http://[fe80::1%25eth0]/', []), null);
    assert.notEqual(clientUrlProblem('file:///etc/passwd', []), null);
  });

  it('lets configured networks through, IPv4-mapped forms included, but never a tunnelled form', () => {
    const allowed = parseCidrs(['127.0.0.0/8', '10.20.0.0/16']);
    assert.equal(isAddressAllowed('127.0.0.1', allowed), true);
    assert.equal(isAddressAllowed('::ffff:127.0.0.1', allowed), true);
    assert.equal(isAddressAllowed('10.20.3.4', allowed), true);
    assert.equal(isAddressAllowed('10.21.3.4', allowed), false);
    assert.equal(isAddressAllowed('::127.0.0.1', allowed), false);
    assert.equal(isAddressAllowed('64:ff9b::a14:304', allowed), false);
    assert.equal(clientUrlProblem('http://localhost:8080/x', allowed), null);
    assert.equal(clientUrlProblem('http://127.0.0.1:8080/x', allowed), null);
    assert.equal(clientUrlProblem('http://2130706433/x', allowed), null);
    assert.notEqual(clientUrlProblem('http://[::127.0.0.1]/x', allowed), null);
    assert.equal(parseCidr('not a cidr'), null);
  });

  it('tells public, privately allowed and blocked apart', () => {
    const allowed = parseCidrs(['127.0.0.2/32']);
    const reach = (text: string): string => reachOf(parseAddress(text) ?? assert.fail(text), allowed);
    assert.equal(reach('8.8.8.8'), 'public');
    assert.equal(reach('127.0.0.2'), 'private');
    assert.equal(reach('::ffff:127.0.0.2'), 'private');
    assert.equal(reach('127.0.0.1'), 'blocked');
  });

  it('writes ranges canonically', () => {
    assert.equal(cidrText(parseCidr('10.1.2.3/8') ?? assert.fail()), '10.0.0.0/8');
    assert.equal(cidrText(parseCidr(' FD00:0::1/8 ') ?? assert.fail()), 'fd00::/8');
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
