import { useState } from 'preact/hooks';
import { SelectField } from '../../components/filter-bar';
import { useT } from '../../i18n';
import { adminApi, ATTRIBUTIONS, parsePeerLinks, parseTree, peerLinksText, TOPOLOGIES, treeText, type Attribution, type Topology, type TrustGroup } from './admin-types';
import { CheckboxGroup, namedChoices, TextArea, useChoices } from './form-fields';
import { EntityFormDialog, IdNameFields } from './entity-form';
import { administrationMessages } from './messages';

/**
 * A new trust group (POST /admin/api/trust-groups) or a change to one the admin API made (PATCH
 * …/{id}). Its shape follows the topology: a horizontal group lists its members; a vertical group
 * is a tree (`parent: child, child` a line); a hybrid group is a tree with peer links between
 * its heads (`org-a org-b`, with `pass-down` when what crosses the link goes down the other tree).
 * The hub checks the shape and names what is wrong. Operators only.
 */
export function TrustGroupForm(props: { readonly editing?: TrustGroup; readonly onSaved: (g: TrustGroup) => void; readonly onClose: () => void }) {
  const t = useT(administrationMessages);
  const { editing } = props;
  const organizations = useChoices(adminApi.organizations);
  const [id, setId] = useState(editing?.id ?? '');
  const [name, setName] = useState(editing?.name ?? '');
  const [topology, setTopology] = useState<Topology>(editing?.topology ?? 'horizontal');
  const [members, setMembers] = useState<readonly string[]>(editing?.topology === 'horizontal' ? editing.members : []);
  const [tree, setTree] = useState(treeText(editing?.tree));
  const [links, setLinks] = useState(peerLinksText(editing?.peer_links));
  const [attribution, setAttribution] = useState<Attribution>(editing?.attribution ?? 'attributed');

  const check = () => {
    if (editing === undefined && id.trim() === '') return t('form.idMissing');
    if (name.trim() === '') return t('form.nameMissing');
    if (topology === 'horizontal' && members.length === 0) return t('group.membersMissing');
    if (topology !== 'horizontal') {
      const parsed = parseTree(tree);
      if (parsed.bad.length > 0) return t('group.treeBad', { line: parsed.bad[0] ?? '' });
      if (Object.keys(parsed.tree).length === 0) return t('group.treeMissing');
    }
    if (topology === 'hybrid') {
      const parsed = parsePeerLinks(links);
      if (parsed.bad.length > 0) return t('group.linksBad', { line: parsed.bad[0] ?? '' });
    }
    return undefined;
  };
  const body = () => {
    // A change of topology drops the other shape's fields (the hub would keep them otherwise).
    const shape = topology === 'horizontal'
      ? { members: [...members], ...(editing !== undefined ? { tree: {}, peer_links: [] } : {}) }
      : { tree: parseTree(tree).tree, ...(topology === 'hybrid' ? { peer_links: parsePeerLinks(links).links } : editing !== undefined ? { peer_links: [] } : {}) };
    return { name: name.trim(), topology, attribution, ...shape };
  };

  const memberOptions = namedChoices(organizations, members);
  return (
    <EntityFormDialog
      id="trust-group-form"
      resource="trust-groups"
      editing={editing}
      newTitle={t('group.newTitle')}
      editTitle={(g) => t('group.editTitle', { id: g.id })}
      newBody={t('group.newBody')}
      check={check}
      created={() => ({ id: id.trim() })}
      body={body}
      onSaved={props.onSaved}
      onClose={props.onClose}
    >
      {(error) => (
        <>
          <IdNameFields prefix="group" form="trust-group-form" creating={editing === undefined} error={error} id={id} name={name} onId={setId} onName={setName} />
          <SelectField id="group-topology" label={t('group.topology')} value={topology} choices={TOPOLOGIES.map((v) => ({ value: v, label: t(`topology.${v}`) }))} onChange={(v) => setTopology(v as Topology)} />
          {topology === 'horizontal' && <CheckboxGroup id="group-member" legend={t('group.members')} options={memberOptions} checked={members} onChange={setMembers} />}
          {topology !== 'horizontal' && <TextArea id="group-tree" label={t('group.tree')} value={tree} help={t('group.treeHelp')} onInput={setTree} />}
          {topology === 'hybrid' && <TextArea id="group-links" label={t('group.links')} value={links} help={t('group.linksHelp')} onInput={setLinks} />}
          <SelectField id="group-attribution" label={t('form.attribution')} value={attribution} choices={ATTRIBUTIONS.map((v) => ({ value: v, label: t(`attribution.${v}`) }))} onChange={(v) => setAttribution(v as Attribution)} />
        </>
      )}
    </EntityFormDialog>
  );
}
