import { DataTable } from '../../components/data-table';
import type { Translate } from '../../i18n';
import { collectionLabel } from '../share/collections';
import type { VisibleCollection } from '../share/hub-types';
import { FEED_FORMATS } from './types';

/**
 * The channels a reader fetches itself, for each collection the user may read: the sensor feeds'
 * URLs (one per format) and the live stream's address. The hub records neither fetches nor who holds
 * a stream open, so the page shows how to connect and says where the figures it does have are.
 */

const base = () => `${window.location.origin}/api/collections/`;
const pathOf = (c: VisibleCollection) => encodeURIComponent(c.alias ?? c.id);

export function FeedsSection({ t, collections }: { readonly t: Translate; readonly collections: readonly VisibleCollection[] }) {
  const readable = collections.filter((c) => c.can_read);
  return (
    <section class="delivery-section" aria-labelledby="feeds-heading">
      <h2 id="feeds-heading">{t('feedsHeading')}</h2>
      <p>{t('feedsIntro')}</p>
      {readable.length === 0 && <p>{t('feedsNone')}</p>}
      {readable.map((c) => (
        <DataTable key={c.id} class="feed-list" caption={t('feedsCaption', { collection: collectionLabel(c) })} columns={[t('col.format'), t('col.url'), t('col.use')]}>
          {FEED_FORMATS.map((format) => (
            <tr key={format} data-format={format}>
              <th scope="row">{format}</th>
              <td><code class="delivery-url">{`${base()}${pathOf(c)}/feeds/${format}`}</code></td>
              <td>{t(`format.${format}`)}</td>
            </tr>
          ))}
        </DataTable>
      ))}
    </section>
  );
}

export function StreamsSection({ t, collections }: { readonly t: Translate; readonly collections: readonly VisibleCollection[] }) {
  const readable = collections.filter((c) => c.can_read);
  const first = readable[0];
  return (
    <section class="delivery-section" aria-labelledby="streams-heading">
      <h2 id="streams-heading">{t('streamsHeading')}</h2>
      <p>{t('streamsIntro')}</p>
      <p>{t('streamsFigures')}</p>
      {readable.length === 0 && <p>{t('feedsNone')}</p>}
      {readable.length > 0 && (
        <DataTable class="stream-list" caption={t('streamsCaption')} columns={[t('col.collection'), t('col.url')]}>
          {readable.map((c) => (
            <tr key={c.id} data-stream={c.alias ?? c.id}>
              <th scope="row">{collectionLabel(c)}</th>
              <td><code class="delivery-url">{`${base()}${pathOf(c)}/stream`}</code></td>
            </tr>
          ))}
        </DataTable>
      )}
      {first !== undefined && (
        <>
          <h3>{t('streamExample')}</h3>
          <pre class="delivery-example"><code>{`curl -N -H "Authorization: Bearer $HUB_API_KEY" -H 'Accept: text/event-stream' \\\n  ${base()}${pathOf(first)}/stream`}</code></pre>
        </>
      )}
    </section>
  );
}
