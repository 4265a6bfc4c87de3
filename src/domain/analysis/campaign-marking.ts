import type { TlpLevel } from '../tenancy';
import { tlpRank } from '../tlp';

/**
 * The marking of what confirming a campaign candidate publishes (issue 15 §2): no looser than the
 * strictest member (clear < green < amber < amber+strict < red); under RED, only the organizations
 * every RED member names may read it.
 */
export function strictestMarking(members: readonly { readonly tlp: TlpLevel; readonly recipients: readonly string[] }[]): { tlp: TlpLevel; recipients: string[] } {
  let tlp: TlpLevel = 'clear';
  for (const m of members) if (tlpRank(m.tlp) > tlpRank(tlp)) tlp = m.tlp;
  if (tlp !== 'red') return { tlp, recipients: [] };
  const red = members.filter((m) => m.tlp === 'red');
  const [first, ...rest] = red;
  const recipients = (first?.recipients ?? []).filter((org) => rest.every((m) => m.recipients.includes(org)));
  return { tlp, recipients: [...new Set(recipients)].sort() };
}
