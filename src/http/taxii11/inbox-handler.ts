import { renderStatusMessage } from '../../domain/taxii11';
import type { InboxBlock, Taxii11InboxService } from '../../services/taxii11/inbox-service';
import type { Taxii11Handler } from './taxii11-router';
import { parseXml } from './xml/safe-xml-parser';

/**
 * Inbox (I-01..I-10): every content block's STIX package, embedded as XML or sent as escaped text
 * (X-11; text is parsed here by the same safe parser as the message), goes to the inbox service,
 * which stores all of it or nothing. The answer is always a Status_Message: SUCCESS saying what was
 * stored, or the refusal the service throws.
 */
export function inboxHandler(inbox: Taxii11InboxService): Taxii11Handler<'inbox'> {
  return async ({ who, version, message, messageId }) => {
    const blocks: InboxBlock[] = message.contentBlocks.map((block) => {
      if (block.content.kind === 'xml') return { bindingId: block.binding.bindingId, content: { kind: 'xml', root: block.content.element } };
      const parsed = parseXml(block.content.text.trim());
      return {
        bindingId: block.binding.bindingId,
        content: parsed.ok ? { kind: 'xml', root: parsed.root } : { kind: 'unparsable', problem: parsed.message },
      };
    });
    const outcome = await inbox.receive(who, { destinations: message.destinations, blocks });
    return renderStatusMessage({ messageId, inResponseTo: message.messageId, statusType: 'SUCCESS', message: outcome.message }, version);
  };
}
