import { renderPollResponse } from '../../domain/taxii11';
import type { PolledSubscription, PollPart, Taxii11PollService } from '../../services/taxii11/poll-service';
import type { Principal } from '../../domain/principal';
import type { Taxii11Exchange, Taxii11Handler } from './taxii11-router';

/** Finds the caller's subscription `id` on the named collection (NOT_FOUND otherwise). */
export type SubscriptionLookup = (who: Principal, collectionName: string, id: string) => Promise<PolledSubscription>;

/**
 * Poll and Poll Fulfillment (P-01..P-18, MP-01..MP-07): the poll service answers one part; this
 * renders it as a Poll_Response. A poll by Subscription_ID takes the subscription's parameters.
 */
export function pollHandler(polls: Taxii11PollService, subscriptions: SubscriptionLookup): Taxii11Handler<'poll'> {
  return async (exchange) => {
    const { who, message } = exchange;
    const parameters = message.parameters;
    const subscription = message.subscriptionId !== undefined ? await subscriptions(who, message.collectionName, message.subscriptionId) : undefined;
    const part = await polls.poll(who, {
      collectionName: message.collectionName,
      ...(message.exclusiveBegin !== undefined ? { exclusiveBegin: message.exclusiveBegin } : {}),
      ...(message.inclusiveEnd !== undefined ? { inclusiveEnd: message.inclusiveEnd } : {}),
      responseType: parameters?.responseType ?? 'FULL',
      contentBindings: parameters?.contentBindings ?? [],
      query: parameters?.query ?? false,
      ...(subscription !== undefined ? { subscription } : {}),
    });
    return render(exchange, part);
  };
}

export function pollFulfillmentHandler(polls: Taxii11PollService): Taxii11Handler<'poll-fulfillment'> {
  return async (exchange) => {
    const { who, message } = exchange;
    return render(exchange, await polls.fulfil(who, message.collectionName, message.resultId, message.partNumber));
  };
}

function render(exchange: Taxii11Exchange<'poll'> | Taxii11Exchange<'poll-fulfillment'>, part: PollPart): string {
  const common = {
    messageId: exchange.messageId,
    inResponseTo: exchange.message.messageId,
    collectionName: part.collectionName,
    partNumber: part.partNumber,
    ...(part.subscriptionId !== undefined ? { subscriptionId: part.subscriptionId } : {}),
    ...(part.exclusiveBegin !== undefined ? { exclusiveBegin: part.exclusiveBegin } : {}),
    inclusiveEnd: part.inclusiveEnd,
    recordCount: part.recordCount,
    contentBlocks: part.blocks,
  };
  const input =
    part.more && part.resultId !== undefined
      ? { ...common, more: true as const, resultId: part.resultId }
      : { ...common, more: false as const, ...(part.resultId !== undefined ? { resultId: part.resultId } : {}) };
  return renderPollResponse(input, exchange.version);
}
