import type { SubscriptionAction, SubscriptionStatus, TaxiiVersion } from './taxii-identifiers';
import { readContentBindings, writeContentBindings } from './content-bindings';
import { MalformedMessage, type TaxiiElementReader } from './request-reading';
import { readResponseType } from './poll-messages';
import { readDeliveryTarget, writeDeliveryTarget, writeServiceContact, type ServiceContact } from './service-contacts';
import { TaxiiXmlWriter } from './taxii-xml-writing';
import type { DeliveryTarget, SubscriptionManagementRequest, SubscriptionParameters } from './taxii-requests';

/**
 * Subscription_Management_Request (read) and Subscription_Management_Response (written):
 * SB-01..SB-12. TAXII 1.0 names the collection `feed_name`, carries the subscription id as an
 * attribute, knows only SUBSCRIBE, UNSUBSCRIBE and STATUS, and lists the wanted content bindings in
 * Push_Parameters.
 */

const ACTIONS_11: readonly SubscriptionAction[] = ['SUBSCRIBE', 'UNSUBSCRIBE', 'PAUSE', 'RESUME', 'STATUS'];
const ACTIONS_10: readonly SubscriptionAction[] = ['SUBSCRIBE', 'UNSUBSCRIBE', 'STATUS'];

export function readSubscriptionManagementRequest(r: TaxiiElementReader, messageId: string): SubscriptionManagementRequest {
  const v11 = r.version === '1.1';
  const collectionName = r.requiredAttribute(v11 ? 'collection_name' : 'feed_name');
  const actionText = r.requiredAttribute('action');
  const actions = v11 ? ACTIONS_11 : ACTIONS_10;
  const action = actions.find((a) => a === actionText);
  if (action === undefined) {
    throw new MalformedMessage(`Subscription_Management_Request@action '${actionText}' is not one of ${actions.join(', ')}`);
  }
  const subscriptionId = v11 ? r.optionalText('Subscription_ID') : r.optionalAttribute('subscription_id');
  if (subscriptionId === undefined && (action === 'UNSUBSCRIBE' || action === 'PAUSE' || action === 'RESUME')) {
    throw new MalformedMessage(`Subscription_Management_Request with action ${action} has no ${v11 ? 'Subscription_ID' : 'subscription_id'}`);
  }
  const pushElement = r.optional('Push_Parameters');
  const push = pushElement === undefined ? undefined : readDeliveryTarget(r, pushElement);
  let parameters: SubscriptionParameters | undefined;
  if (v11) {
    const parametersElement = r.optional('Subscription_Parameters');
    if (action === 'SUBSCRIBE' && parametersElement === undefined) {
      throw new MalformedMessage('Subscription_Management_Request with action SUBSCRIBE has no Subscription_Parameters');
    }
    if (action !== 'SUBSCRIBE' && parametersElement !== undefined) {
      throw new MalformedMessage(`Subscription_Management_Request with action ${action} may not carry Subscription_Parameters`);
    }
    if (parametersElement !== undefined) {
      const p = r.reader(parametersElement);
      parameters = { responseType: readResponseType(p), contentBindings: readContentBindings(p), query: p.optional('Query') !== undefined };
    }
  } else if (action === 'SUBSCRIBE') {
    const bindings = pushElement === undefined ? [] : readContentBindings(r.reader(pushElement));
    parameters = { responseType: 'FULL', contentBindings: bindings, query: false };
  }
  const subscribe = action === 'SUBSCRIBE';
  return {
    kind: 'subscription-management',
    messageId,
    collectionName,
    action,
    ...(subscriptionId === undefined || subscribe ? {} : { subscriptionId }),
    ...(parameters === undefined ? {} : { parameters }),
    ...(push === undefined || !subscribe ? {} : { push }),
  };
}

export interface SubscriptionRecord {
  readonly subscriptionId: string;
  readonly status: SubscriptionStatus;
  /** Required in answers to STATUS (SB-06). */
  readonly parameters?: SubscriptionParameters;
  /** Only when the hub will push (SB-06). */
  readonly push?: DeliveryTarget;
  readonly pollInstances: readonly ServiceContact[];
}

export interface SubscriptionManagementResponseInput {
  readonly messageId: string;
  readonly inResponseTo: string;
  readonly collectionName: string;
  readonly message?: string;
  /** Exactly one for SUBSCRIBE/UNSUBSCRIBE/PAUSE/RESUME, any number for STATUS (SB-06). */
  readonly subscriptions: readonly SubscriptionRecord[];
}

export function renderSubscriptionManagementResponse(input: SubscriptionManagementResponseInput, version: TaxiiVersion = '1.1'): string {
  const w = new TaxiiXmlWriter(version);
  let children = w.optionalTextElement('Message', input.message);
  for (const s of input.subscriptions) {
    let polls = '';
    for (const p of s.pollInstances) polls += writeServiceContact(w, 'Poll_Instance', p);
    if (version === '1.0') {
      const push = s.push === undefined ? '' : writeDeliveryTarget(w, 'Push_Parameters', s.push);
      children += w.element('Subscription', { subscription_id: s.subscriptionId }, push + polls);
      continue;
    }
    let inner = w.textElement('Subscription_ID', s.subscriptionId);
    if (s.parameters !== undefined) {
      inner += w.element(
        'Subscription_Parameters',
        {},
        w.textElement('Response_Type', s.parameters.responseType) + writeContentBindings(w, s.parameters.contentBindings),
      );
    }
    if (s.push !== undefined) inner += writeDeliveryTarget(w, 'Push_Parameters', s.push);
    children += w.element('Subscription', { status: s.status }, inner + polls);
  }
  const collectionAttribute = version === '1.1' ? 'collection_name' : 'feed_name';
  return w.document(
    'Subscription_Management_Response',
    { message_id: input.messageId, in_response_to: input.inResponseTo, [collectionAttribute]: input.collectionName },
    children,
  );
}
