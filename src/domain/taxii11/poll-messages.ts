import type { TaxiiVersion } from './taxii-identifiers';
import { readContentBindings } from './content-bindings';
import { writeContentBlocks, type OutgoingContentBlock } from './content-blocks';
import { MalformedMessage, readInteger, type TaxiiElementReader } from './request-reading';
import { readDeliveryTarget } from './service-contacts';
import { formatTaxiiTimestamp } from './taxii-timestamps';
import { TaxiiXmlWriter } from './taxii-xml-writing';
import type { PollFulfillmentRequest, PollParameters, PollRequest, RecordCount } from './taxii-requests';
import type { ResponseType } from './taxii-identifiers';

/**
 * Poll_Request and Poll_Fulfillment (read), Poll_Response (written): P-01..P-18, MP-01..MP-07.
 */

export function readPollRequest(r: TaxiiElementReader, messageId: string): PollRequest {
  if (r.version === '1.0') return readPollRequest10(r, messageId);
  const collectionName = r.requiredAttribute('collection_name');
  const { exclusiveBegin, inclusiveEnd } = readTimeWindow(r);
  const subscriptionId = r.optionalText('Subscription_ID');
  const parametersElement = r.optional('Poll_Parameters');
  if (subscriptionId !== undefined && parametersElement !== undefined) {
    throw new MalformedMessage('Poll_Request has both Subscription_ID and Poll_Parameters (exactly one is allowed)');
  }
  if (subscriptionId === undefined && parametersElement === undefined) {
    throw new MalformedMessage('Poll_Request has neither Subscription_ID nor Poll_Parameters (exactly one is required)');
  }
  let parameters: PollParameters | undefined;
  if (parametersElement !== undefined) {
    const p = r.reader(parametersElement);
    const deliveryElement = p.optional('Delivery_Parameters');
    parameters = {
      allowAsynch: p.booleanAttribute('allow_asynch', false),
      responseType: readResponseType(p),
      contentBindings: readContentBindings(p),
      query: p.optional('Query') !== undefined,
      ...(deliveryElement === undefined ? {} : { delivery: readDeliveryTarget(p, deliveryElement) }),
    };
  }
  return {
    kind: 'poll',
    messageId,
    collectionName,
    ...(exclusiveBegin === undefined ? {} : { exclusiveBegin }),
    ...(inclusiveEnd === undefined ? {} : { inclusiveEnd }),
    ...(subscriptionId === undefined ? {} : { subscriptionId }),
    ...(parameters === undefined ? {} : { parameters }),
  };
}

/** TAXII 1.0: `@feed_name`, optional `@subscription_id`, Content_Binding ids as text, no count-only. */
function readPollRequest10(r: TaxiiElementReader, messageId: string): PollRequest {
  const collectionName = r.requiredAttribute('feed_name');
  const subscriptionId = r.optionalAttribute('subscription_id');
  const { exclusiveBegin, inclusiveEnd } = readTimeWindow(r);
  return {
    kind: 'poll',
    messageId,
    collectionName,
    ...(exclusiveBegin === undefined ? {} : { exclusiveBegin }),
    ...(inclusiveEnd === undefined ? {} : { inclusiveEnd }),
    ...(subscriptionId === undefined ? {} : { subscriptionId }),
    parameters: { allowAsynch: false, responseType: 'FULL', contentBindings: readContentBindings(r), query: false },
  };
}

/** Exclusive_Begin_Timestamp and Inclusive_End_Timestamp; when both are given, end > begin (P-05). */
export function readTimeWindow(r: TaxiiElementReader): { exclusiveBegin?: number; inclusiveEnd?: number } {
  const exclusiveBegin = r.optionalTimestamp('Exclusive_Begin_Timestamp');
  const inclusiveEnd = r.optionalTimestamp('Inclusive_End_Timestamp');
  if (exclusiveBegin !== undefined && inclusiveEnd !== undefined && inclusiveEnd <= exclusiveBegin) {
    throw new MalformedMessage(
      `Inclusive_End_Timestamp (${formatTaxiiTimestamp(inclusiveEnd)}) must be later than Exclusive_Begin_Timestamp (${formatTaxiiTimestamp(exclusiveBegin)})`,
    );
  }
  return {
    ...(exclusiveBegin === undefined ? {} : { exclusiveBegin }),
    ...(inclusiveEnd === undefined ? {} : { inclusiveEnd }),
  };
}

/** Response_Type: FULL (the default when absent) or COUNT_ONLY. */
export function readResponseType(r: TaxiiElementReader): ResponseType {
  const text = r.optionalText('Response_Type');
  if (text === undefined || text === 'FULL') return 'FULL';
  if (text === 'COUNT_ONLY') return 'COUNT_ONLY';
  throw new MalformedMessage(`Response_Type '${text}' is neither FULL nor COUNT_ONLY`);
}

/** Poll_Fulfillment: collection, result id and part number all required (MP-03). */
export function readPollFulfillment(r: TaxiiElementReader, messageId: string): PollFulfillmentRequest {
  const collectionName = r.requiredAttribute('collection_name');
  const resultId = r.requiredAttribute('result_id');
  const partNumber = readInteger(r.requiredAttribute('result_part_number'), 'Poll_Fulfillment@result_part_number', 1);
  return { kind: 'poll-fulfillment', messageId, collectionName, resultId, partNumber };
}

interface PollResponseCommon {
  readonly messageId: string;
  readonly inResponseTo: string;
  readonly collectionName: string;
  /** Part number, from 1 (MP-01). */
  readonly partNumber: number;
  /** Echoed when the poll named a subscription. */
  readonly subscriptionId?: string;
  readonly exclusiveBegin?: number;
  /** Always present for a Data Feed (P-12). */
  readonly inclusiveEnd: number;
  readonly recordCount?: RecordCount;
  readonly message?: string;
  readonly contentBlocks: readonly OutgoingContentBlock[];
}

/** `result_id` is required when more parts follow (P-11). */
export type PollResponseInput =
  | (PollResponseCommon & { readonly more: true; readonly resultId: string })
  | (PollResponseCommon & { readonly more: false; readonly resultId?: string });

/**
 * A Poll_Response. TAXII 1.0 has no parts, result ids or record counts, names the collection
 * `feed_name` and states an inclusive begin: written as exclusiveBegin + 1 µs, which selects the
 * same records since labels are whole microseconds.
 */
export function renderPollResponse(input: PollResponseInput, version: TaxiiVersion = '1.1'): string {
  const w = new TaxiiXmlWriter(version);
  if (version === '1.0') {
    const children =
      w.optionalTextElement('Message', input.message) +
      (input.exclusiveBegin === undefined ? '' : w.textElement('Inclusive_Begin_Timestamp', formatTaxiiTimestamp(input.exclusiveBegin + 1))) +
      w.textElement('Inclusive_End_Timestamp', formatTaxiiTimestamp(input.inclusiveEnd)) +
      writeContentBlocks(w, input.contentBlocks);
    return w.document(
      'Poll_Response',
      { message_id: input.messageId, in_response_to: input.inResponseTo, feed_name: input.collectionName, subscription_id: input.subscriptionId },
      children,
    );
  }
  const children =
    w.optionalTextElement('Subscription_ID', input.subscriptionId) +
    (input.exclusiveBegin === undefined ? '' : w.textElement('Exclusive_Begin_Timestamp', formatTaxiiTimestamp(input.exclusiveBegin))) +
    w.textElement('Inclusive_End_Timestamp', formatTaxiiTimestamp(input.inclusiveEnd)) +
    writeRecordCount(w, input.recordCount) +
    w.optionalTextElement('Message', input.message) +
    writeContentBlocks(w, input.contentBlocks);
  return w.document(
    'Poll_Response',
    {
      message_id: input.messageId,
      in_response_to: input.inResponseTo,
      collection_name: input.collectionName,
      more: input.more,
      result_id: input.resultId,
      result_part_number: input.partNumber,
    },
    children,
  );
}

export function writeRecordCount(w: TaxiiXmlWriter, count: RecordCount | undefined): string {
  return count === undefined ? '' : w.textElement('Record_Count', String(count.count), { partial_count: count.partial });
}
