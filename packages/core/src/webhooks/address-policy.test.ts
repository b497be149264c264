import { describe, expect, it } from 'vitest';
import { addressRefusal, checkWebhookUrl, type WebhookAddressPolicy } from './address-policy';
import { createWebhookTransport } from './transport';

const policyResolving = (answers: Record<string, string[]>, extra: Partial<WebhookAddressPolicy> = {}) => ({
  allowHttp: false,
  allowedAddresses: [],
  resolve: async (host: string) => {
    const addresses = answers[host];
    if (!addresses) throw new Error(`ENOTFOUND ${host}`);
    return addresses.map((address) => ({
      address,
      family: address.includes(':') ? (6 as const) : (4 as const),
    }));
  },
  ...extra,
});

describe('addressRefusal', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'], // cloud metadata (AWS, GCP, Azure)
    ['100.100.100.200', 'carrierGradeNat'], // Alibaba Cloud metadata
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'], // AWS metadata over IPv6
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'], // IPv4-mapped
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:a9fe:a9fe', 'linkLocal'], // the same, written in hex
    ['::7f00:1', 'loopback'], // IPv4-compatible (deprecated, but some stacks still route it)
    ['64:ff9b::a9fe:a9fe', 'linkLocal'], // NAT64 to the metadata address
    ['2002:7f00:1::', '6to4'],
    ['192.0.2.1', 'reserved'],
  ])('given %s, then it is refused as %s', (address, range) => {
    expect(addressRefusal(address, [])).toBe(`${address} is a ${range} address`);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'given the public address %s, then it is allowed',
    (address) => {
      expect(addressRefusal(address, [])).toBeNull();
    },
  );

  it('given an operator allow-list, then listed addresses and ranges pass and nothing else does', () => {
    const allowed = ['127.0.0.1/32', '10.20.0.0/16', 'fd00::1'];
    expect(addressRefusal('127.0.0.1', allowed)).toBeNull();
    expect(addressRefusal('::ffff:127.0.0.1', allowed)).toBeNull();
    expect(addressRefusal('10.20.3.4', allowed)).toBeNull();
    expect(addressRefusal('fd00::1', allowed)).toBeNull();
    expect(addressRefusal('127.0.0.2', allowed)).not.toBeNull();
    expect(addressRefusal('10.21.0.1', allowed)).not.toBeNull();
    expect(addressRefusal('169.254.169.254', allowed)).not.toBeNull();
  });
});

describe('checkWebhookUrl', () => {
  const policy = policyResolving({
    'hooks.example.com': ['93.184.215.14'],
    'internal.example.com': ['10.0.0.5'],
    'metadata.example.com': ['169.254.169.254'],
    'mixed.example.com': ['93.184.215.14', '127.0.0.1'],
    'v6.example.com': ['::ffff:127.0.0.1'],
  });

  it('given a public https URL, then it answers the addresses it checked', async () => {
    await expect(checkWebhookUrl('https://hooks.example.com/in', policy)).resolves.toEqual([
      { address: '93.184.215.14', family: 4 },
    ]);
  });

  it.each([
    ['https://internal.example.com/', /not a public address \(10\.0\.0\.5 is a private address\)/],
    ['https://metadata.example.com/latest/meta-data', /169\.254\.169\.254 is a linkLocal address/],
    ['https://mixed.example.com/', /127\.0\.0\.1 is a loopback address/],
    ['https://v6.example.com/', /loopback/],
    ['https://169.254.169.254/latest/meta-data', /linkLocal/],
    ['https://[::ffff:7f00:1]/', /loopback/],
    ['https://[fd00:ec2::254]/', /uniqueLocal/],
    ['https://nowhere.example.com/', /does not resolve/],
    ['http://hooks.example.com/', /expected an https URL/],
    ['https://user:pass@hooks.example.com/', /credentials/],
    ['ftp://hooks.example.com/', /expected an https URL/],
  ])('given %s, then it is refused', async (url, reason) => {
    await expect(checkWebhookUrl(url, policy)).rejects.toThrow(reason);
  });

  it('given WEBHOOK_ALLOW_HTTP, then a plain http URL to a public address passes', async () => {
    await expect(
      checkWebhookUrl('http://hooks.example.com/', { ...policy, allowHttp: true }),
    ).resolves.toHaveLength(1);
  });
});

describe('the transport at delivery time', () => {
  it('given a host that now resolves to a private address (DNS rebinding after registration), when a delivery is sent, then it is refused before any connection', async () => {
    const send = createWebhookTransport({
      policy: policyResolving({ 'rebinding.example.com': ['127.0.0.1'] }),
    });
    await expect(
      send({ url: 'https://rebinding.example.com/hook', body: '{}', headers: {} }),
    ).rejects.toThrow(/loopback/);
  });
});
