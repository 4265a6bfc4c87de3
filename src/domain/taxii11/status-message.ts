import { attributeOf, textOf } from '../xml/xml-element';
import type { StatusType, TaxiiVersion } from './taxii-identifiers';
import { MalformedMessage, type TaxiiElementReader } from './request-reading';
import { TaxiiXmlWriter } from './taxii-xml-writing';
import type { StatusDetail, StatusMessageReceived } from './taxii-requests';

/**
 * Status_Message (S-01..S-08): the answer to every Inbox_Message and to any request that failed.
 * In 1.1 details go in Status_Detail/Detail@name (S-04), never in Extended_Headers. TAXII 1.0 has
 * a single free-text Status_Detail: the detail values are written there, separated by spaces.
 */

export interface StatusMessageInput {
  readonly messageId: string;
  readonly inResponseTo: string;
  readonly statusType: StatusType | string;
  readonly details?: readonly StatusDetail[];
  readonly message?: string;
}

export function renderStatusMessage(input: StatusMessageInput, version: TaxiiVersion = '1.1'): string {
  const w = new TaxiiXmlWriter(version);
  const details = input.details ?? [];
  let children = '';
  if (details.length > 0) {
    if (version === '1.1') {
      let inner = '';
      for (const d of details) inner += w.textElement('Detail', d.value, { name: d.name });
      children += w.element('Status_Detail', {}, inner);
    } else {
      children += w.textElement('Status_Detail', details.map((d) => d.value).join(' '));
    }
  }
  children += w.optionalTextElement('Message', input.message);
  return w.document('Status_Message', { message_id: input.messageId, in_response_to: input.inResponseTo, status_type: input.statusType }, children);
}

/** Reads a Status_Message (what a subscriber's inbox answers to a push). */
export function readStatusMessage(r: TaxiiElementReader, messageId: string): StatusMessageReceived {
  const inResponseTo = r.requiredAttribute('in_response_to');
  const statusType = r.requiredAttribute('status_type');
  const details: StatusDetail[] = [];
  const detailElement = r.optional('Status_Detail');
  if (detailElement !== undefined) {
    if (r.version === '1.1') {
      for (const d of r.reader(detailElement).all('Detail')) {
        const name = attributeOf(d, 'name')?.trim();
        if (name === undefined || name === '') throw new MalformedMessage('a Status_Detail/Detail has no name attribute');
        details.push({ name, value: textOf(d).trim() });
      }
    } else {
      const text = textOf(detailElement).trim();
      if (text !== '') details.push({ name: '', value: text });
    }
  }
  const message = r.optionalFreeText('Message');
  return { kind: 'status', messageId, inResponseTo, statusType, details, ...(message === undefined ? {} : { message }) };
}
