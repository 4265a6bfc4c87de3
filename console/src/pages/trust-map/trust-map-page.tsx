import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { useAnnounce } from '../../announce';
import { DataTable } from '../../components/data-table';
import { HubErrorLine, useHubErrorText } from '../../components/hub-error';
import { useT, type Translate } from '../../i18n';
import { hasRole, useSession, type Session } from '../../session';
import { GroupGraph } from './group-graph';
import { groupSummary, GroupTable } from './group-table';
import { layoutGroup } from './layout';
import { trustMapMessages } from './messages';
import { RecipientsPreview } from './recipients-preview';
import type { CollectionJson, OrganizationJson, TrustGroupJson } from './types';
import '../share/pages.css';

/**
 * The trust map. Operators read the whole structure (organizations, trust groups, collections: the
 * admin API gives them to operators only) and preview any provider. Others see the collections they
 * may see (GET /api/collections); providers and organization admins preview their own
 * organization's objects in the collections they may write to (the preview route allows exactly
 * that); a consumer-only user sees no preview form at all.
 */

type MapData =
  | { readonly kind: 'operator'; readonly organizations: readonly OrganizationJson[]; readonly groups: readonly TrustGroupJson[]; readonly collections: readonly CollectionJson[] }
  | { readonly kind: 'member'; readonly collections: readonly CollectionJson[] };

async function loadMap(session: Session): Promise<MapData> {
  if (hasRole(session, 'operator')) {
    const [o, g, c] = await Promise.all([
      api<{ organizations: OrganizationJson[] }>('GET', '/admin/api/organizations'),
      api<{ trust_groups: TrustGroupJson[] }>('GET', '/admin/api/trust-groups'),
      api<{ collections: CollectionJson[] }>('GET', '/admin/api/collections'),
    ]);
    return { kind: 'operator', organizations: o.organizations, groups: g.trust_groups, collections: c.collections };
  }
  const c = await api<{ collections: CollectionJson[] }>('GET', '/api/collections');
  return { kind: 'member', collections: c.collections };
}

export function TrustMapPage() {
  const t = useT(trustMapMessages);
  const session = useSession();
  const announce = useAnnounce();
  const withHeading = useHubErrorText();
  const [data, setData] = useState<MapData | undefined>();
  const [failure, setFailure] = useState<{ readonly text: string; readonly cause: unknown } | undefined>();
  useEffect(() => {
    loadMap(session).then(setData, (e: unknown) => {
      const text = e instanceof Error ? e.message : String(e);
      setFailure({ text, cause: e });
      announce(withHeading(e, text), 'error');
    });
  }, [session, announce]);

  if (failure !== undefined) return <HubErrorLine error={failure.cause}>{failure.text}</HubErrorLine>;
  if (!data) return <p>{t('loading')}</p>;
  return data.kind === 'operator' ? <OperatorMap t={t} data={data} /> : <MemberMap t={t} session={session} collections={data.collections} />;
}

function OperatorMap({ t, data }: { readonly t: Translate; readonly data: Extract<MapData, { kind: 'operator' }> }) {
  const names = new Map(data.organizations.map((o) => [o.id, o.name] as const));
  return (
    <>
      <p>{t('intro')}</p>
      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">{t('groups.heading')}</h2>
        <Legend t={t} />
        {data.groups.map((group) => (
          <article class="group" key={group.id} aria-labelledby={`group-${group.id}`} data-group={group.id}>
            <h3 id={`group-${group.id}`}>{t('group.heading', { name: group.name, id: group.id })}</h3>
            <p class="topology">{t(`topology.${group.topology}`)}</p>
            <div class="graph-scroll">
              <GroupGraph layout={layoutGroup(group)} names={names} label={t('graph.label', { name: group.name, summary: groupSummary(group) })} passDownLabel={t('passDown')} noPassDownLabel={t('noPassDown')} />
            </div>
            <GroupTable group={group} t={t} names={names} />
          </article>
        ))}
      </section>
      <RecipientsPreview t={t} collections={data.collections} providers={data.organizations.map((o) => o.id)} groups={data.groups} names={names} />
    </>
  );
}

function MemberMap({ t, session, collections }: { readonly t: Translate; readonly session: Session; readonly collections: readonly CollectionJson[] }) {
  const mayPreview = hasRole(session, 'provider', 'org-admin');
  const writable = collections.filter((c) => c.can_write === true);
  return (
    <>
      <p>{t('intro')}</p>
      <p class="notice">{t('operatorOnly')}</p>
      <section aria-labelledby="collections-heading">
        <h2 id="collections-heading">{t('collections.heading')}</h2>
        <DataTable class="collections-table" caption={t('collections.caption')} columns={[t('collections.title'), t('collections.alias'), t('collections.marking'), t('collections.access')]}>
          {collections.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.title}</th>
              <td>{c.alias ?? t('none')}</td>
              <td>{`TLP:${c.default_marking.toUpperCase()}`}</td>
              <td>{[c.can_read ? t('read') : undefined, c.can_write ? t('write') : undefined].filter(Boolean).join(', ') || t('none')}</td>
            </tr>
          ))}
        </DataTable>
      </section>
      {mayPreview && writable.length > 0 && (
        <>
          <p>{t('preview.ownOnly', { organization: session.organization })}</p>
          <RecipientsPreview t={t} collections={writable} providers={[session.organization]} groups={[]} names={new Map()} />
        </>
      )}
    </>
  );
}

function Legend({ t }: { readonly t: Translate }) {
  return (
    <ul class="legend">
      <li><span class="swatch tree" aria-hidden="true" />{t('legend.tree')}</li>
      <li><span class="swatch peer" aria-hidden="true" />{t('legend.peer')}</li>
      <li><span class="swatch pass-down" aria-hidden="true" />{t('legend.passDown')}</li>
      <li><span class="swatch no-pass-down" aria-hidden="true" />{t('legend.noPassDown')}</li>
    </ul>
  );
}
