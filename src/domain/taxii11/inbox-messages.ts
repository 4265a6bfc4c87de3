import type { TaxiiVersion } from './taxii-identifiers';
import { readContentBlock, writeContentBlocks, type OutgoingContentBlock } from './content-blocks';
import { MalformedMessage, readInteger, type TaxiiElementReader } from './request-reading';
import { textOf } from '../xml/xml-element';
import { readTimeWindow, writeRecordCount } from './poll-messages';
import { formatTaxiiTimestamp } from './taxii-timestamps';
import { TaxiiXmlWriter } from './taxii-xml-writing';
import type { InboxRequest, RecordCount, SourceSubscription } from './taxii-requests';

/**
 * Inbox_Message: read when a client pushes content (I-01..I-10), written when the hub pushes a
 * subscription's content to a subscriber's inbox (SB-12, I-09).
 */

export function readInboxMessage(r: TaxiiElementReader, messageId: string): InboxRequest {
  const destinationNames: string[] = [];
  for (const d of r.version === '1.1' ? r.all('Destination_Collection_Name') : []) {
    const name = textOf(d).trim();
    if (name === '') throw new MalformedMessage('Inbox_Message has an empty Destination_Collection_Name');
    destinationNames.push(name);
  }
  const message = r.optionalFreeText('Message');
  const sourceElement = r.optional('Source_Subscription');
  const sourceSubscription = sourceElement === undefined ? undefined : readSourceSubscription(r.reader(sourceElement));
  const resultId = r.version === '1.1' ? r.optionalAttribute('result_id') : undefined;
  const countElement = r.version === '1.1' ? r.optional('Record_Count') : undefined;
  let recordCount: RecordCount | undefined;
  if (countElement !== undefined) {
    const c = r.reader(countElement);
    recordCount = { count: readInteger(textOf(countElement), 'Record_Count', 0), partial: c.booleanAttribute('partial_count', false) };
  }
  const contentBlocks = r.all('Content_Block').map((b, i) => readContentBlock(r, b, i + 1));
  return {
    kind: 'inbox',
    messageId,
    destinations: destinationNames,
    contentBlocks,
    ...(message === undefined ? {} : { message }),
    ...(sourceSubscription === undefined ? {} : { sourceSubscription }),
    ...(resultId === undefined ? {} : { resultId }),
    ...(recordCount === undefined ? {} : { recordCount }),
  };
}

function readSourceSubscription(r: TaxiiElementReader): SourceSubscription {
  if (r.version === '1.0') {
    const collectionName = r.requiredAttribute('feed_name');
    const subscriptionId = r.optionalAttribute('subscription_id');
    const inclusiveBegin = r.optionalTimestamp('Inclusive_Begin_Timestamp');
    const inclusiveEnd = r.optionalTimestamp('Inclusive_End_Timestamp');
    return {
      collectionName,
      ...(subscriptionId === undefined ? {} : { subscriptionId }),
      ...(inclusiveBegin === undefined ? {} : { exclusiveBegin: inclusiveBegin - 1 }),
      ...(inclusiveEnd === undefined ? {} : { inclusiveEnd }),
    };
  }
  const collectionName = r.requiredAttribute('collection_name');
  const subscriptionId = r.requiredText('Subscription_ID');
  return { collectionName, subscriptionId, ...readTimeWindow(r) };
}

export interface InboxMessageInput {
  readonly messageId: string;
  readonly message?: string;
  readonly resultId?: string;
  readonly sourceSubscription?: {
    readonly collectionName: string;
    readonly subscriptionId: string;
    readonly exclusiveBegin?: number;
    /** Required for a Data Feed (I-09). */
    readonly inclusiveEnd: number;
  };
  readonly recordCount?: RecordCount;
  readonly contentBlocks: readonly OutgoingContentBlock[];
}

/**
 * An Inbox_Message pushing a subscription's content. In 1.0 the Source_Subscription names the feed
 * in attributes and states an inclusive begin (exclusiveBegin + 1 µs); there is no Record_Count.
 */
export function renderInboxMessage(input: InboxMessageInput, version: TaxiiVersion = '1.1'): string {
  const w = new TaxiiXmlWriter(version);
  const s = input.sourceSubscription;
  let source = '';
  if (s !== undefined && version === '1.1') {
    source = w.element(
      'Source_Subscription',
      { collection_name: s.collectionName },
      w.textElement('Subscription_ID', s.subscriptionId) +
        (s.exclusiveBegin === undefined ? '' : w.textElement('Exclusive_Begin_Timestamp', formatTaxiiTimestamp(s.exclusiveBegin))) +
        w.textElement('Inclusive_End_Timestamp', formatTaxiiTimestamp(s.inclusiveEnd)),
    );
  } else if (s !== undefined) {
    source = w.element(
      'Source_Subscription',
      { feed_name: s.collectionName, subscription_id: s.subscriptionId },
      (s.exclusiveBegin === undefined ? '' : w.textElement('Inclusive_Begin_Timestamp', formatTaxiiTimestamp(s.exclusiveBegin + 1))) +
        w.textElement('Inclusive_End_Timestamp', formatTaxiiTimestamp(s.inclusiveEnd)),
    );
  }
  const children =
    w.optionalTextElement('Message', input.message) +
    source +
    (version === '1.1' ? writeRecordCount(w, input.recordCount) : '') +
    writeContentBlocks(w, input.contentBlocks);
  const attributes = version === '1.1' ? { message_id: input.messageId, result_id: input.resultId } : { message_id: input.messageId };
  return w.document('Inbox_Message', attributes, children);
}
