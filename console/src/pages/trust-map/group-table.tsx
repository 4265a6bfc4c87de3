import { DataTable } from '../../components/data-table';
import type { Translate } from '../../i18n';
import type { TrustGroupJson } from './types';

/** The same facts as a group's graph, as a table: each member, its parent and children in the tree, its peers and peer links. */
export function GroupTable({ group, t, names }: { readonly group: TrustGroupJson; readonly t: Translate; readonly names: ReadonlyMap<string, string> }) {
  const children = group.tree ?? {};
  const parentOf = new Map<string, string>();
  for (const [parent, kids] of Object.entries(children)) for (const kid of kids) parentOf.set(kid, parent);
  const peersOf = (id: string): string[] => {
    const out: string[] = [];
    if (group.topology === 'horizontal') out.push(...group.members.filter((m) => m !== id));
    for (const link of group.peer_links ?? []) {
      const other = link.between[0] === id ? link.between[1] : link.between[1] === id ? link.between[0] : undefined;
      if (other !== undefined) out.push(`${other} (${link.pass_down ? t('passDown') : t('noPassDown')})`);
    }
    return out;
  };
  const tree = group.topology !== 'horizontal';
  return (
    <DataTable
      class="group-table"
      caption={t('table.caption', { name: group.name })}
      columns={[t('table.organization'), ...(tree ? [t('table.parent'), t('table.children')] : []), t('table.peers')]}
    >
      {group.members.map((id) => (
        <tr key={id}>
          <th scope="row">{names.get(id) ? `${names.get(id)} (${id})` : id}</th>
          {tree && <td>{parentOf.get(id) ?? t('none')}</td>}
          {tree && <td>{(children[id] ?? []).join(', ') || t('none')}</td>}
          <td>{peersOf(id).join(', ') || t('none')}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** A sentence for the graph's accessible name. */
export function groupSummary(group: TrustGroupJson): string {
  const tree = Object.entries(group.tree ?? {}).map(([parent, kids]) => `${parent} → ${kids.join(', ')}`);
  const links = (group.peer_links ?? []).map((l) => `${l.between[0]} ↔ ${l.between[1]}${l.pass_down ? ' (pass-down)' : ''}`);
  return group.topology === 'horizontal' ? group.members.join(', ') : [...tree, ...links].join('; ');
}
