import { isIPv6 } from 'node:net';
import { formatIpv6, parseIpv6 } from '../domain/indicators/ipv6-address';

/**
 * The address a login attempt is counted under. An IPv4 client (also when written IPv4-mapped, as
 * Node reports it on a dual-stack socket) is its address; an IPv6 client is its /64 network, since a
 * single host usually holds a whole /64 and could otherwise take a fresh address for every guess.
 */
export function throttleAddressOf(ip: string): string {
  const unzoned = ip.split('%', 1)[0] ?? ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(unzoned);
  if (mapped) return mapped[1] as string;
  if (!isIPv6(unzoned)) return ip;
  const parsed = parseIpv6(unzoned);
  if (!parsed.ok) return ip;
  return `${formatIpv6([...parsed.value.slice(0, 4), 0, 0, 0, 0])}/64`;
}
