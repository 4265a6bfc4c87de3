import { indicatorToStix12, type Stix12Context } from '../../../domain/stix1';
import { parseTaxiiRequest } from '../../../domain/taxii11/parse-request';
import { renderInboxMessage } from '../../../domain/taxii11/inbox-messages';
import { parseXml } from '../../../http/taxii11/xml/safe-xml-parser';
import type { InboxPush, PushAnswer, PushBlock, PushBlockRenderer, Taxii11PushCodec } from './taxii11-push-channel';

/**
 * The TAXII 1.1 XML side of a push, over the hub's TAXII 1.1 message model: the Inbox_Message
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

/**
 * A block renderer over the STIX 2.1 → 1.2 bridge that names the hub as every block's information
 * source and relates no campaigns: what a push can say without the poll path's attribution and
 * campaign lookups. The hub passes the poll path's renderer instead, so that a push and a poll of the
 * same record carry the same package.
 */
export function hubSourcedStix12Renderer(context: Pick<Stix12Context, 'idNamespace' | 'source'>, nowMicros: () => number = () => Date.now() * 1000): PushBlockRenderer {
  return async (batch, bindingId) => {
    const blocks: PushBlock[] = [];
    for (const record of batch.records) {
      let object: unknown;
      try {
        object = JSON.parse(record.json);
      } catch {
        continue;
      }
      if (typeof object !== 'object' || object === null) continue;
      const outcome = indicatorToStix12(object as Record<string, unknown>, { ...context, campaigns: [], nowMicros: nowMicros() });
      if (outcome.ok) blocks.push({ bindingId, contentXml: outcome.packageXml, timestampLabel: record.dateAdded });
    }
    return blocks;
  };
}
