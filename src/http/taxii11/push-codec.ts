import { parseTaxiiRequest } from '../../domain/taxii11/parse-request';
import { renderInboxMessage } from '../../domain/taxii11/inbox-messages';
import { parseXml } from './xml/safe-xml-parser';
import type { InboxPush, PushAnswer, Taxii11PushCodec } from '../../services/delivery/channels/taxii11-push-channel';

/**
 * The TAXII 1.1 XML side of a push (the hub as a TAXII client of the subscriber's inbox), over the
 * hub's TAXII 1.1 message model: the Inbox_Message
 * written by renderInboxMessage, and the receiver's answer read with the safe parser (no DOCTYPE, no
 * entities, limits) as a Status_Message.
 */
export const taxii11PushCodec: Taxii11PushCodec = {
  renderInbox(push: InboxPush): string {
    return renderInboxMessage({
      messageId: push.messageId,
      sourceSubscription: { collectionName: push.collectionName, subscriptionId: push.subscriptionId, exclusiveBegin: push.exclusiveBegin, inclusiveEnd: push.inclusiveEnd },
      recordCount: { count: push.recordCount, partial: false },
      contentBlocks: push.blocks.map((b) => ({ bindingId: b.bindingId, contentXml: b.contentXml, timestampLabel: b.timestampLabel })),
    });
  },

  readAnswer(body: Buffer): PushAnswer {
    if (body.length === 0) return { kind: 'not-taxii', description: 'the body is empty' };
    const xml = parseXml(body);
    if (!xml.ok) return { kind: 'not-taxii', description: `the body is not acceptable XML (${xml.reason})` };
    const parsed = parseTaxiiRequest(xml.root);
    if (!parsed.ok) return { kind: 'not-taxii', description: 'the body is not a TAXII message' };
    if (parsed.message.kind !== 'status') return { kind: 'not-taxii', description: `the body is a TAXII ${parsed.message.kind} message, not a Status_Message` };
    return { kind: 'status', statusType: parsed.message.statusType, ...(parsed.message.message !== undefined ? { message: parsed.message.message } : {}) };
  },
};
