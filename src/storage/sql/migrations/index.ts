import * as m001 from './001-tenancy';
import * as m002 from './002-sharing';
import * as m003 from './003-taxii-state';
import * as m004 from './004-indicators';
import * as m005 from './005-references';
import * as m006 from './006-login-throttle';
import * as m007 from './007-attribution-unmarked';
import * as m008 from './008-object-heads';
import * as m009 from './009-drop-id-index';
import * as m010 from './010-subscriptions';
import * as m011 from './011-taxii11-result-sets';
import * as m012 from './012-change-feed';
import * as m013 from './013-webhooks';
import * as m014 from './014-forward-targets';
import * as m015 from './015-feed-entries';
import * as m016 from './016-delivery-audiences';
import * as m017 from './017-named-readers';
import * as m018 from './018-analysis-keys';
import * as m019 from './019-campaign-candidates';
import * as m020 from './020-campaign-activity';
import * as m021 from './021-hub-object-key-prefixes';
import * as m022 from './022-console-sessions';
import * as m023 from './023-analysis-announcements';
import * as m024 from './024-poll-marks';
import * as m025 from './025-poll-mark-types';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every migration, in order. Append only: an applied migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'tenancy', sql: m001.sql },
  { version: 2, name: 'sharing', sql: m002.sql },
  { version: 3, name: 'taxii-state', sql: m003.sql },
  { version: 4, name: 'indicators', sql: m004.sql },
  { version: 5, name: 'references', sql: m005.sql },
  { version: 6, name: 'login-throttle', sql: m006.sql },
  { version: 7, name: 'attribution-unmarked', sql: m007.sql },
  { version: 8, name: 'object-heads', sql: m008.sql },
  { version: 9, name: 'drop-id-index', sql: m009.sql },
  { version: 10, name: 'subscriptions', sql: m010.sql },
  { version: 11, name: 'taxii11-result-sets', sql: m011.sql },
  { version: 12, name: 'change-feed', sql: m012.sql },
  { version: 13, name: 'webhooks', sql: m013.sql },
  { version: 14, name: 'forward-targets', sql: m014.sql },
  { version: 15, name: 'feed-entries', sql: m015.sql },
  { version: 16, name: 'delivery-audiences', sql: m016.sql },
  { version: 17, name: 'named-readers', sql: m017.sql },
  { version: 18, name: 'analysis-keys', sql: m018.sql },
  { version: 19, name: 'campaign-candidates', sql: m019.sql },
  { version: 20, name: 'campaign-activity', sql: m020.sql },
  { version: 21, name: 'hub-object-key-prefixes', sql: m021.sql },
  { version: 22, name: 'console-sessions', sql: m022.sql },
  { version: 23, name: 'analysis-announcements', sql: m023.sql },
  { version: 24, name: 'poll-marks', sql: m024.sql },
  { version: 25, name: 'poll-mark-types', sql: m025.sql },
];
