/** Sensor feeds (issue 13 §5): pure renderers of an audience's active indicators, one per format. */

export { feedEntriesOf, type FeedEntry } from './feed-entry';
export {
  FEED_FORMATS,
  FEED_REMOVAL_REASONS,
  POSTFIX_ACTIONS,
  POSTFIX_MAPS,
  isFeedFormat,
  type FeedChange,
  type FeedContext,
  type FeedFormat,
  type FeedRemovalReason,
  type FeedRenderer,
  type PostfixAction,
  type PostfixMap,
  type RpzOptions,
  type SuricataOptions,
} from './feed-formats';
export { FEED_RENDERERS, feedRenderer } from './feed-renderers';
export { rpzOriginProblem } from './rpz-feed';
export { sidRangeProblem } from './suricata-syntax';
