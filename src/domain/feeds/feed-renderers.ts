import { CSV_FEED } from './csv-feed';
import type { FeedFormat, FeedRenderer } from './feed-formats';
import { POSTFIX_FEED } from './postfix-feed';
import { RPZ_FEED } from './rpz-feed';
import { STIX_FEED } from './stix-feed';
import { SURICATA_FEED } from './suricata-feed';
import { TEXT_FEED } from './text-feed';
import { ZEEK_FEED } from './zeek-feed';

/** The renderer of each sensor-feed format. */
export const FEED_RENDERERS: Readonly<Record<FeedFormat, FeedRenderer>> = Object.freeze({
  text: TEXT_FEED,
  csv: CSV_FEED,
  suricata: SURICATA_FEED,
  zeek: ZEEK_FEED,
  rpz: RPZ_FEED,
  postfix: POSTFIX_FEED,
  stix: STIX_FEED,
});

export function feedRenderer(format: FeedFormat): FeedRenderer {
  return FEED_RENDERERS[format];
}
