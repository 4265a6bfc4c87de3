import { isIP } from 'node:net';
import { normaliseEmailAddress } from '../indicators/email-address';
import { normaliseHostName } from '../indicators/host-name';
import { normaliseIpAddress } from '../indicators/ip-address';
import { formatIpv4, ipv4Network, parseIpv4 } from '../indicators/ipv4-address';
import { formatIpv6, ipv6Network, parseIpv6 } from '../indicators/ipv6-address';
import { urlParts } from '../indicators/url-parts';
import { normaliseUrl } from '../indicators/url-value';
import type { MatchEntry, MatchHit, MatchIndex, ObservationKind, ObservedField } from './match-types';

/**
 * A first, simple MatchIndex: maps from normalised value to entries, observations normalised with the
 * hub's own functions. Correct; not yet fast or small.
 */

type HitSink = (hit: MatchHit) => void;

function ipKey(value: string): string {
  return `ip\u0000${value}`;
}

export function createMatchIndex(): MatchIndex {
  const byIndicator = new Map<string, readonly MatchEntry[]>();
  const byKey = new Map<string, MatchEntry[]>();
  const prefixes4 = new Map<number, number>();
  const prefixes6 = new Map<number, number>();

  const keyOf = (entry: MatchEntry): string => {
    switch (entry.kind) {
      case 'c2-ip':
      case 'email-sender-ip':
        return ipKey(entry.value);
      default:
        return `${entry.kind}\u0000${entry.value}`;
    }
  };
  const countPrefix = (entry: MatchEntry, delta: number) => {
    if (entry.kind !== 'c2-ip' && entry.kind !== 'email-sender-ip') return;
    const slash = entry.value.indexOf('/');
    if (slash < 0) return;
    const prefixes = entry.value.includes(':') ? prefixes6 : prefixes4;
    const length = Number(entry.value.slice(slash + 1));
    const count = (prefixes.get(length) ?? 0) + delta;
    if (count === 0) prefixes.delete(length);
    else prefixes.set(length, count);
  };

  const remove = (indicatorId: string) => {
    const old = byIndicator.get(indicatorId);
    if (old === undefined) return;
    byIndicator.delete(indicatorId);
    for (const entry of old) {
      const key = keyOf(entry);
      const list = byKey.get(key);
      if (list === undefined) continue;
      const kept = list.filter((e) => e !== entry);
      if (kept.length === 0) byKey.delete(key);
      else byKey.set(key, kept);
      countPrefix(entry, -1);
    }
  };

  const emit = (key: string, how: MatchHit['how'], kind: ObservationKind, field: ObservedField, raw: string, nowMicros: number, onHit: HitSink) => {
    const list = byKey.get(key);
    if (list === undefined) return;
    for (const entry of list) {
      if (entry.validUntilMicros !== undefined && entry.validUntilMicros <= nowMicros) continue;
      onHit({ entry, kind, field, observed: raw, how });
    }
  };

  const lookupIp = (text: string, how: MatchHit['how'] | undefined, kind: ObservationKind, field: ObservedField, raw: string, now: number, onHit: HitSink) => {
    let bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
    const zone = bare.indexOf('%');
    if (zone >= 0) bare = bare.slice(0, zone);
    const ip = normaliseIpAddress(bare);
    if (!ip.ok || ip.value.network) return;
    emit(ipKey(ip.value.text), how ?? 'exact', kind, field, raw, now, onHit);
    if (ip.value.version === 4) {
      const address = parseIpv4(ip.value.text);
      if (!address.ok) return;
      for (const length of prefixes4.keys()) emit(ipKey(`${formatIpv4(ipv4Network(address.value, length))}/${length}`), how ?? 'cidr', kind, field, raw, now, onHit);
    } else {
      const groups = parseIpv6(ip.value.text);
      if (!groups.ok) return;
      for (const length of prefixes6.keys()) emit(ipKey(`${formatIpv6(ipv6Network(groups.value, length))}/${length}`), how ?? 'cidr', kind, field, raw, now, onHit);
    }
  };

  const lookupHost = (text: string, how: MatchHit['how'] | undefined, kind: ObservationKind, field: ObservedField, raw: string, now: number, onHit: HitSink) => {
    const host = normaliseHostName(text);
    if (!host.ok) {
      if (host.reason === 'ip-address') lookupIp(text.endsWith('.') ? text.slice(0, -1) : text, how, kind, field, raw, now, onHit);
      return;
    }
    emit(`c2-hostname\u0000${host.value}`, how ?? 'exact', kind, field, raw, now, onHit);
    for (let dot = host.value.indexOf('.'); dot >= 0; dot = host.value.indexOf('.', dot + 1)) {
      emit(`c2-hostname\u0000${host.value.slice(dot + 1)}`, how ?? 'subdomain', kind, field, raw, now, onHit);
    }
  };

  const lookupUrl = (raw: string, field: ObservedField, now: number, onHit: HitSink) => {
    const url = normaliseUrl(raw.trim());
    if (!url.ok) return;
    emit(`url\u0000${url.value}`, 'exact', 'url', field, raw, now, onHit);
    const parts = urlParts(url.value);
    if (parts === undefined) return;
    const hostname = parts.hostname.startsWith('[') ? parts.hostname.slice(1, -1) : parts.hostname;
    if (isIP(hostname) !== 0) lookupIp(hostname, 'url-host', 'url', field, raw, now, onHit);
    else lookupHost(hostname, 'url-host', 'url', field, raw, now, onHit);
  };

  const lookupEmail = (raw: string, field: ObservedField, now: number, onHit: HitSink) => {
    const text = raw.trim();
    const address = normaliseEmailAddress(text.startsWith('<') && text.endsWith('>') ? text.slice(1, -1) : text);
    if (!address.ok) return;
    emit(`email-from\u0000${address.value}`, 'exact', 'email', field, raw, now, onHit);
    lookupHost(address.value.slice(address.value.lastIndexOf('@') + 1), 'email-domain', 'email', field, raw, now, onHit);
  };

  return {
    put(indicatorId, entries) {
      remove(indicatorId);
      if (entries.length === 0) return;
      const kept = entries.slice();
      byIndicator.set(indicatorId, kept);
      for (const entry of kept) {
        const key = keyOf(entry);
        const list = byKey.get(key);
        if (list === undefined) byKey.set(key, [entry]);
        else list.push(entry);
        countPrefix(entry, 1);
      }
    },
    remove,
    get size() {
      return byIndicator.size;
    },
    lookup(kind, field, raw, nowMicros, onHit) {
      switch (kind) {
        case 'ip':
          return lookupIp(raw.trim(), undefined, kind, field, raw, nowMicros, onHit);
        case 'host':
          return lookupHost(raw.trim(), undefined, kind, field, raw, nowMicros, onHit);
        case 'url':
          return lookupUrl(raw, field, nowMicros, onHit);
        case 'email':
          return lookupEmail(raw, field, nowMicros, onHit);
        case 'subject':
          return emit(`email-subject\u0000${raw}`, 'exact', kind, field, raw, nowMicros, onHit);
        case 'filename':
          return emit(`email-attachment-name\u0000${raw}`, 'exact', kind, field, raw, nowMicros, onHit);
        case 'hash':
          return emit(`file-hash\u0000${raw.trim().toLowerCase()}`, 'exact', kind, field, raw, nowMicros, onHit);
      }
    },
  };
}
