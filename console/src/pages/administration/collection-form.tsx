import { useState } from 'preact/hooks';
import { SelectField, TextField } from '../../components/filter-bar';
import { useT } from '../../i18n';
import { adminApi, ATTRIBUTIONS, MARKINGS, type Attribution, type Collection, type Marking } from './admin-types';
import { namedChoices, TextArea, useChoices } from './form-fields';
import { EntityFormDialog } from './entity-form';
import { administrationMessages } from './messages';

type OwnerKind = 'organization' | 'trust_group';

/**
 * A new collection (POST /admin/api/collections; the hub gives it a UUID) or a change to one the
 * admin API made (PATCH …/{id}): its API root (new only), alias, title, description, owner (an
 * organization or a trust group), default TLP marking, what happens to unmarked objects, and
 * attribution. Operators only.
 */
export function CollectionForm(props: { readonly editing?: Collection; readonly onSaved: (c: Collection) => void; readonly onClose: () => void }) {
  const t = useT(administrationMessages);
  const { editing } = props;
  const apiRoots = useChoices(adminApi.apiRoots);
  const organizations = useChoices(adminApi.organizations);
  const groups = useChoices(adminApi.trustGroups);
  const initialOwner = editing?.owner;
  const [apiRoot, setApiRoot] = useState(editing?.api_root ?? '');
  const [alias, setAlias] = useState(editing?.alias ?? '');
  const [title, setTitle] = useState(editing?.title ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [ownerKind, setOwnerKind] = useState<OwnerKind>(initialOwner !== undefined && 'trust_group' in initialOwner ? 'trust_group' : 'organization');
  const [owner, setOwner] = useState(initialOwner === undefined ? '' : 'trust_group' in initialOwner ? initialOwner.trust_group : initialOwner.organization);
  const [marking, setMarking] = useState<Marking>(editing?.default_marking ?? 'amber');
  const [unmarked, setUnmarked] = useState<'default' | 'refuse'>(editing?.unmarked ?? 'default');
  const [attribution, setAttribution] = useState<Attribution>(editing?.attribution ?? 'attributed');

  // The first API root is the default once the list has come.
  const root = apiRoot !== '' ? apiRoot : (apiRoots[0]?.id ?? '');
  const check = () => {
    if (editing === undefined && root === '') return t('collection.apiRootMissing');
    if (title.trim() === '') return t('collection.titleMissing');
    if (owner === '') return t('collection.ownerMissing');
    return undefined;
  };
  const body = () => ({
    alias: alias.trim() === '' ? null : alias.trim(),
    title: title.trim(),
    description: description.trim() === '' ? null : description.trim(),
    owner: ownerKind === 'organization' ? { organization: owner } : { trust_group: owner },
    default_marking: marking,
    unmarked,
    attribution,
  });

  const ownerChoices = namedChoices(ownerKind === 'organization' ? organizations : groups, [owner]);
  return (
    <EntityFormDialog
      id="collection-form"
      resource="collections"
      editing={editing}
      newTitle={t('collection.newTitle')}
      editTitle={(c) => t('collection.editTitle', { title: c.title })}
      newBody={t('collection.newBody')}
      check={check}
      created={() => ({ api_root: root })}
      body={body}
      onSaved={props.onSaved}
      onClose={props.onClose}
    >
      {(error) => (
        <>
          {editing === undefined && (
            <SelectField id="collection-api-root" label={t('collection.apiRoot')} value={root} choices={apiRoots.map((r) => ({ value: r.id, label: `${r.id} (${r.title})` }))} onChange={setApiRoot} />
          )}
          <TextField id="collection-title" label={t('collection.title')} value={title} required invalid={error === t('collection.titleMissing')} describedBy="collection-form-error" onInput={setTitle} />
          <TextField id="collection-alias" label={t('collection.alias')} value={alias} describedBy="collection-alias-help" onInput={setAlias} />
          <p id="collection-alias-help" class="help">{t('collection.aliasHelp')}</p>
          <TextArea id="collection-description" label={t('collection.description')} value={description} rows={2} onInput={setDescription} />
          <SelectField id="collection-owner-kind" label={t('collection.ownerKind')} value={ownerKind} choices={[{ value: 'organization', label: t('collection.ownerOrganization') }, { value: 'trust_group', label: t('collection.ownerGroup') }]} onChange={(v) => { setOwnerKind(v as OwnerKind); setOwner(''); }} />
          <SelectField id="collection-owner" label={t('collection.owner')} value={owner} choices={ownerChoices} any={t('collection.choose')} onChange={setOwner} />
          <SelectField id="collection-marking" label={t('collection.marking')} value={marking} choices={MARKINGS.map((m) => ({ value: m, label: `TLP:${m.toUpperCase()}` }))} onChange={(v) => setMarking(v as Marking)} />
          <SelectField id="collection-unmarked" label={t('collection.unmarked')} value={unmarked} choices={[{ value: 'default', label: t('unmarked.default') }, { value: 'refuse', label: t('unmarked.refuse') }]} onChange={(v) => setUnmarked(v as 'default' | 'refuse')} />
          <SelectField id="collection-attribution" label={t('form.attribution')} value={attribution} choices={ATTRIBUTIONS.map((v) => ({ value: v, label: t(`attribution.${v}`) }))} onChange={(v) => setAttribution(v as Attribution)} />
        </>
      )}
    </EntityFormDialog>
  );
}
