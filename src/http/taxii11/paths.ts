/**
 * The TAXII 1.1 path table: one POST endpoint per service (HTTP binding §3), the one place their
 * route strings are written. Discovery advertises the others.
 */

import { TAXII11_PREFIX } from '../route-table';

export { TAXII11_PREFIX };

export const TAXII11_SERVICES = {
  discovery: { path: '/taxii1/discovery', serviceType: 'DISCOVERY' },
  collectionManagement: { path: '/taxii1/collection-management', serviceType: 'COLLECTION_MANAGEMENT' },
  poll: { path: '/taxii1/poll', serviceType: 'POLL' },
  inbox: { path: '/taxii1/inbox', serviceType: 'INBOX' },
} as const;

export type Taxii11ServiceName = keyof typeof TAXII11_SERVICES;
