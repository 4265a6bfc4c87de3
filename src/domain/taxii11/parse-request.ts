import { attributeOf, type XmlElement } from '../xml/xml-element';
import { TAXII_10_NAMESPACE, TAXII_11_NAMESPACE, type TaxiiVersion } from './taxii-identifiers';
import { readInboxMessage } from './inbox-messages';
import { isTaxii10MessageId } from './message-ids';
import { readPollFulfillment, readPollRequest } from './poll-messages';
import { MalformedMessage, TaxiiElementReader } from './request-reading';
import { readStatusMessage } from './status-message';
import { readSubscriptionManagementRequest } from './subscription-messages';
import type { ParsedRequest, TaxiiRequest } from './taxii-requests';

/**
 * Reads a TAXII 1.1 or 1.0 message the hub received into a typed request. Dispatch is on the root's
 * namespace URI and local name, never its prefix (clients write `taxii_11:`, `ns2:` or a default
 * namespace). Whatever is wrong comes back as a BAD_MESSAGE or UNSUPPORTED_MESSAGE outcome whose
 * message names the element or attribute at fault.
 */

type Reader = (r: TaxiiElementReader, messageId: string) => TaxiiRequest;

const READERS_11: Readonly<Record<string, Reader>> = {
  Discovery_Request: (_r, messageId) => ({ kind: 'discovery', messageId }),
  Collection_Information_Request: (_r, messageId) => ({ kind: 'collection-information', messageId }),
  Subscription_Management_Request: readSubscriptionManagementRequest,
  Poll_Request: readPollRequest,
  Poll_Fulfillment: readPollFulfillment,
  Inbox_Message: readInboxMessage,
  Status_Message: readStatusMessage,
};

const READERS_10: Readonly<Record<string, Reader>> = {
  Discovery_Request: (_r, messageId) => ({ kind: 'discovery', messageId }),
  Feed_Information_Request: (_r, messageId) => ({ kind: 'collection-information', messageId }),
  Subscription_Management_Request: readSubscriptionManagementRequest,
  Poll_Request: readPollRequest,
  Inbox_Message: readInboxMessage,
  Status_Message: readStatusMessage,
};

/** Messages a server sends, never receives: answered UNSUPPORTED_MESSAGE when sent as a request. */
const RESPONSES_11 = ['Discovery_Response', 'Collection_Information_Response', 'Subscription_Management_Response', 'Poll_Response'];
const RESPONSES_10 = ['Discovery_Response', 'Feed_Information_Response', 'Subscription_Management_Response', 'Poll_Response'];

function versionOf(uri: string): TaxiiVersion | undefined {
  if (uri === TAXII_11_NAMESPACE) return '1.1';
  if (uri === TAXII_10_NAMESPACE) return '1.0';
  return undefined;
}

/** A name the client wrote, as the answer repeats it: at most 80 characters (a name may be megabytes). */
function shown(name: string): string {
  return name.length > 80 ? `${name.slice(0, 80)}…` : name;
}

export function parseTaxiiRequest(root: XmlElement): ParsedRequest {
  const version = versionOf(root.uri);
  const rawId = attributeOf(root, 'message_id')?.trim();
  const readableId = rawId === undefined || rawId === '' ? undefined : rawId;
  const inResponseTo = readableId ?? '0';
  if (version === undefined) {
    const found = root.uri === '' ? `'${shown(root.local)}' in no namespace` : `'${shown(root.local)}' in namespace ${shown(root.uri)}`;
    return {
      ok: false,
      status: 'BAD_MESSAGE',
      inResponseTo,
      message: `expected a TAXII 1.1 message (an element in namespace ${TAXII_11_NAMESPACE}), found ${found}`,
    };
  }
  const readers = version === '1.1' ? READERS_11 : READERS_10;
  const reader = readers[root.local];
  if (reader === undefined) {
    const responses = version === '1.1' ? RESPONSES_11 : RESPONSES_10;
    if (responses.includes(root.local)) {
      return { ok: false, status: 'UNSUPPORTED_MESSAGE', inResponseTo, message: `${root.local} is a response message; the hub does not accept it as a request` };
    }
    return {
      ok: false,
      status: 'BAD_MESSAGE',
      inResponseTo,
      message: `${shown(root.local)} is not a TAXII ${version} message (expected one of ${Object.keys(readers).join(', ')})`,
    };
  }
  if (readableId === undefined) return { ok: false, status: 'BAD_MESSAGE', inResponseTo, message: `${root.local} has no message_id attribute` };
  if (version === '1.0' && !isTaxii10MessageId(readableId)) {
    return { ok: false, status: 'BAD_MESSAGE', inResponseTo: '0', message: `${root.local}@message_id '${readableId}' is not a TAXII 1.0 message id (digits only)` };
  }
  try {
    return { ok: true, version, message: reader(new TaxiiElementReader(root, version), readableId) };
  } catch (error) {
    if (error instanceof MalformedMessage) return { ok: false, status: 'BAD_MESSAGE', inResponseTo, message: error.message };
    throw error;
  }
}
