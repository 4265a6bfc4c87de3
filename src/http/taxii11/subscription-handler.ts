import { messageBindingOf, renderSubscriptionManagementResponse, type SubscriptionRecord } from '../../domain/taxii11';
import { describeDeliveryStatus, type SubscriptionService } from '../../services/delivery/subscription-service';
import type { Taxii11Handler } from './taxii11-router';

/**
 * Subscription Management (SB-01..SB-12): the subscription service decides (in the order SB-03
 * prescribes, changing nothing when it refuses); this renders its answer. Every subscription is
 * pollable by its id at the poll service; a pushed one also carries its Push_Parameters, and the
 * Message of a STATUS answer tells where each delivery stands (last delivery, last error, backlog).
 */
export function subscriptionHandler(subscriptions: SubscriptionService): Taxii11Handler<'subscription-management'> {
  return async ({ who, version, message, addresses, messageId }) => {
    const answer = await subscriptions.manage(who, {
      collectionName: message.collectionName,
      action: message.action,
      ...(message.subscriptionId !== undefined ? { subscriptionId: message.subscriptionId } : {}),
      ...(message.parameters !== undefined ? { parameters: message.parameters } : {}),
      ...(message.push !== undefined ? { push: message.push } : {}),
    });
    const pollInstance = { protocolBinding: addresses.protocolBinding, address: addresses.address('poll'), messageBindings: [messageBindingOf(version)] };
    const records: SubscriptionRecord[] = answer.subscriptions.map((s) => ({
      subscriptionId: s.id,
      status: s.status,
      ...(s.responseType !== undefined ? { parameters: { responseType: s.responseType, contentBindings: s.contentBindings ?? [], query: false } } : {}),
      ...(s.push !== undefined ? { push: s.push } : {}),
      pollInstances: s.status === 'UNSUBSCRIBED' ? [] : [pollInstance],
    }));
    const status = message.action === 'STATUS' ? describeDeliveryStatus(answer.subscriptions) : undefined;
    return renderSubscriptionManagementResponse(
      { messageId, inResponseTo: message.messageId, collectionName: answer.collectionName, ...(status !== undefined ? { message: status } : {}), subscriptions: records },
      version,
    );
  };
}
