import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors';

/** A resolved address of a host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (tests inject their own). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
};

/** What the operator allows webhook URLs to reach. */
export interface WebhookAddressPolicy {
  /** Plain http:// URLs (development, or a receiver inside a trusted network). */
  allowHttp: boolean;
  /** Addresses or CIDR ranges reachable although not public (e.g. `127.0.0.1/32` for a local receiver). */
  allowedAddresses: readonly string[];
  resolve: HostResolver;
}

export const defaultAddressPolicy: WebhookAddressPolicy = {
  allowHttp: false,
  allowedAddresses: [],
  resolve: systemResolver,
};

/** Why a URL or an address is refused; the message is safe to show to the admin who typed the URL. */
export class WebhookAddressRefused extends Error {
  override name = 'WebhookAddressRefused';
}

/** Parses `1.2.3.4`, `10.0.0.0/8`, `::1`, `fd00::/8`; throws on anything else (operator configuration). */
export function parseAllowedAddress(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const text = entry.trim();
  if (text.includes('/')) return ipaddr.parseCIDR(text);
  const address = ipaddr.parse(text);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

type ParsedRange = ReturnType<typeof parseAllowedAddress>;
const parsedLists = new WeakMap<readonly string[], readonly ParsedRange[]>();

/**
 * The operator's list parsed once per list rather than once per check: the policy's list lives as
 * long as the process, and every webhook attempt checks its addresses against it.
 */
function parsedRanges(allowed: readonly string[]): readonly ParsedRange[] {
  let parsed = parsedLists.get(allowed);
  if (!parsed) {
    parsed = allowed.map(parseAllowedAddress);
    parsedLists.set(allowed, parsed);
  }
  return parsed;
}

/**
 * The embedded IPv4 address of the IPv6 forms that reach an IPv4 host: IPv4-mapped (::ffff:a.b.c.d),
 * the deprecated IPv4-compatible form (::a.b.c.d, which ipaddr.js calls unicast) and NAT64 (64:ff9b::/96).
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  const parts = address.parts;
  const [high = 0, last = 0] = parts.slice(6);
  const low = ipaddr.IPv4.parse([high >> 8, high & 0xff, last >> 8, last & 0xff].join('.'));
  // :: and ::1 are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones.
  const compatible = parts.slice(0, 6).every((part) => part === 0) && (high !== 0 || last > 1);
  const nat64 = parts[0] === 0x64 && parts[1] === 0xff9b && parts.slice(2, 6).every((part) => part === 0);
  return compatible || nat64 ? low : null;
}

/**
 * Why the address may not be reached, or null when it may: only globally routable unicast addresses
 * pass (ipaddr.js's `unicast` range), which refuses loopback, private (RFC 1918), link-local (the
 * 169.254.169.254 cloud metadata service), CGNAT (100.64/10, where some clouds put metadata too),
 * unique-local (fd00::/8, AWS's IPv6 metadata fd00:ec2::254), multicast, unspecified, reserved and
 * documentation ranges. IPv6 forms that embed an IPv4 address are judged by that address.
 */
export function addressRefusal(text: string, allowed: readonly string[]): string | null {
  if (!ipaddr.isValid(text)) return 'not an IP address';
  let address = ipaddr.parse(text);
  if (address.kind() === 'ipv6') {
    const embedded = embeddedIPv4(address as ipaddr.IPv6);
    if (embedded) address = embedded;
  }
  for (const [network, bits] of parsedRanges(allowed)) {
    if (network.kind() === address.kind() && address.match(network, bits)) return null;
  }
  const range = address.range();
  return range === 'unicast' ? null : `${text} is a ${range} address`;
}

/**
 * Resolves the URL's host and checks every address it has (one private address among public ones is
 * enough to refuse: a resolver may hand out any of them). Returns the addresses checked, which the
 * caller must connect to, so that a second, different DNS answer cannot slip in between.
 */
export async function checkWebhookUrl(url: string, policy: WebhookAddressPolicy): Promise<ResolvedAddress[]> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookAddressRefused('not a valid URL');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && policy.allowHttp)) {
    throw new WebhookAddressRefused(policy.allowHttp ? 'expected an http(s) URL' : 'expected an https URL');
  }
  if (parsed.username || parsed.password)
    throw new WebhookAddressRefused('credentials in the URL are not allowed');
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.resolve(host);
    } catch {
      throw new WebhookAddressRefused(`${host} does not resolve`);
    }
    if (addresses.length === 0) throw new WebhookAddressRefused(`${host} does not resolve`);
  }
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy.allowedAddresses);
    if (refusal) throw new WebhookAddressRefused(`${host} is not a public address (${refusal})`);
  }
  return addresses;
}

/** checkWebhookUrl for input: a refusal answers BAD_REQUEST naming the field. */
export async function assertWebhookUrlAllowed(url: string, policy: WebhookAddressPolicy): Promise<void> {
  try {
    await checkWebhookUrl(url, policy);
  } catch (error) {
    if (error instanceof WebhookAddressRefused) {
      throw new AppError('WEBHOOK_URL_REFUSED', `url: ${error.message}`, { field: 'url' });
    }
    throw error;
  }
}
