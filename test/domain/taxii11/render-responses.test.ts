import { attributeOf, textOf } from '../../../src/domain/xml/xml-element';
import {
  CONTENT_BINDING_STIX_111,
  CONTENT_BINDING_STIX_12,
  MESSAGE_BINDING_XML_11,
  PROTOCOL_BINDING_HTTPS,
  SERVICES_11,
} from '../../../src/domain/taxii11/taxii-identifiers';
import { renderStatusMessage } from '../../../src/domain/taxii11/status-message';
import { renderDiscoveryResponse, type ServiceInstance } from '../../../src/domain/taxii11/discovery-messages';
import { renderCollectionInformationResponse, type CollectionInformation } from '../../../src/domain/taxii11/collection-messages';
import { renderSubscriptionManagementResponse } from '../../../src/domain/taxii11/subscription-messages';
import { NS11, child, childLocals, xmlTree } from './taxii-xml-fixtures';

/**
 * Rendering the responses the hub sends, read back with the hub's parser and checked by namespace
 * URI and local name, in the element order of the XSD.
 */

const HUB = 'https://hub.example.org/taxii/acme';
const contact = (path: string) => ({ protocolBinding: PROTOCOL_BINDING_HTTPS, address: `${HUB}/${path}`, messageBindings: [MESSAGE_BINDING_XML_11] });

describe('renderStatusMessage', () => {
  it('b.7 / S-02, S-04: details go in Status_Detail/Detail, then the Message', () => {
    const xml = renderStatusMessage({
      messageId: 's2',
      inResponseTo: 'x',
      statusType: 'INVALID_RESPONSE_PART',
      details: [{ name: 'MAX_PART_NUMBER', value: '3' }],
      message: 'only 3 parts',
    });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const root = xmlTree(xml);
    expect([root.uri, root.local]).toEqual([NS11, 'Status_Message']);
    expect([attributeOf(root, 'message_id'), attributeOf(root, 'in_response_to'), attributeOf(root, 'status_type')]).toEqual(['s2', 'x', 'INVALID_RESPONSE_PART']);
    expect(childLocals(root)).toEqual(['Status_Detail', 'Message']);
    const detail = child(child(root, 'Status_Detail'), 'Detail');
    expect([attributeOf(detail, 'name'), textOf(detail)]).toEqual(['MAX_PART_NUMBER', '3']);
    expect(textOf(child(root, 'Message'))).toBe('only 3 parts');
  });

  it('S-05: a SUCCESS without details is an empty element', () => {
    const root = xmlTree(renderStatusMessage({ messageId: 'r4', inResponseTo: 'm7', statusType: 'SUCCESS' }));
    expect(childLocals(root)).toEqual([]);
    expect(attributeOf(root, 'status_type')).toBe('SUCCESS');
  });

  it('S-04: repeatable details keep their order', () => {
    const root = xmlTree(
      renderStatusMessage({
        messageId: 's5',
        inResponseTo: 'x',
        statusType: 'UNSUPPORTED_CONTENT',
        details: [
          { name: 'SUPPORTED_CONTENT', value: CONTENT_BINDING_STIX_12 },
          { name: 'SUPPORTED_CONTENT', value: CONTENT_BINDING_STIX_111 },
        ],
      }),
    );
    expect(childLocals(child(root, 'Status_Detail')).length).toBe(2);
    expect(child(root, 'Status_Detail').children.filter((c) => c.kind === 'element').map((d) => (d.kind === 'element' ? textOf(d) : ''))).toEqual([
      CONTENT_BINDING_STIX_12,
      CONTENT_BINDING_STIX_111,
    ]);
  });

  it('S-06: text and attribute values are escaped', () => {
    const xml = renderStatusMessage({ messageId: 'a"<&>', inResponseTo: '0', statusType: 'BAD_MESSAGE', message: 'no <Poll_Request> & "quotes"' });
    const root = xmlTree(xml);
    expect(attributeOf(root, 'message_id')).toBe('a"<&>');
    expect(textOf(child(root, 'Message'))).toBe('no <Poll_Request> & "quotes"');
  });
});

describe('renderDiscoveryResponse', () => {
  const services: ServiceInstance[] = [
    { serviceType: 'DISCOVERY', serviceVersion: SERVICES_11, available: true, ...contact('discovery') },
    {
      serviceType: 'INBOX',
      serviceVersion: SERVICES_11,
      available: true,
      ...contact('inbox'),
      contentBindings: [{ bindingId: CONTENT_BINDING_STIX_12, subtypes: [] }, { bindingId: CONTENT_BINDING_STIX_111, subtypes: ['s'] }],
      message: 'STIX 1.x only',
    },
    { serviceType: 'POLL', serviceVersion: SERVICES_11, ...contact('poll'), contentBindings: [{ bindingId: CONTENT_BINDING_STIX_12, subtypes: [] }] },
  ];

  it('b.1 / D-04, D-05: one Service_Instance each, bindings in XSD order, Content_Binding for INBOX only', () => {
    const root = xmlTree(renderDiscoveryResponse({ messageId: 'r1', inResponseTo: 'd1', services }));
    expect([root.uri, root.local, attributeOf(root, 'in_response_to')]).toEqual([NS11, 'Discovery_Response', 'd1']);
    expect(childLocals(root)).toEqual(['Service_Instance', 'Service_Instance', 'Service_Instance']);
    const [discovery, inbox, poll] = root.children.filter((c) => c.kind === 'element');
    if (discovery?.kind !== 'element' || inbox?.kind !== 'element' || poll?.kind !== 'element') throw new Error('three instances expected');
    expect([attributeOf(discovery, 'service_type'), attributeOf(discovery, 'service_version'), attributeOf(discovery, 'available')]).toEqual([
      'DISCOVERY',
      SERVICES_11,
      'true',
    ]);
    expect(childLocals(discovery)).toEqual(['Protocol_Binding', 'Address', 'Message_Binding']);
    expect(textOf(child(discovery, 'Address'))).toBe(`${HUB}/discovery`);
    expect(childLocals(inbox)).toEqual(['Protocol_Binding', 'Address', 'Message_Binding', 'Content_Binding', 'Content_Binding', 'Message']);
    const second = inbox.children.filter((c) => c.kind === 'element')[4];
    if (second?.kind !== 'element') throw new Error('binding expected');
    expect(attributeOf(child(second, 'Subtype'), 'subtype_id')).toBe('s');
    expect(childLocals(poll)).toEqual(['Protocol_Binding', 'Address', 'Message_Binding']);
    expect(attributeOf(poll, 'available')).toBeUndefined();
  });

  it('D-02: an empty list is a normal response', () => {
    expect(childLocals(xmlTree(renderDiscoveryResponse({ messageId: 'r1', inResponseTo: 'd1', services: [] })))).toEqual([]);
  });
});

describe('renderCollectionInformationResponse', () => {
  const collection: CollectionInformation = {
    name: 'alerts',
    type: 'DATA_FEED',
    available: true,
    description: 'Phishing & C2 indicators <STIX 1.2>',
    volume: 120,
    contentBindings: [{ bindingId: CONTENT_BINDING_STIX_12, subtypes: [] }],
    pushMethods: [{ protocolBinding: PROTOCOL_BINDING_HTTPS, messageBindings: [MESSAGE_BINDING_XML_11] }],
    pollingServices: [contact('poll')],
    subscriptionServices: [contact('collection-management')],
    receivingInboxServices: [{ ...contact('inbox'), contentBindings: [{ bindingId: CONTENT_BINDING_STIX_12, subtypes: [] }] }],
  };

  it('b.2 / C-03: a Collection with every field, in XSD order', () => {
    const root = xmlTree(renderCollectionInformationResponse({ messageId: 'r2', inResponseTo: 'd2', collections: [collection] }));
    expect([root.uri, root.local]).toEqual([NS11, 'Collection_Information_Response']);
    const c = child(root, 'Collection');
    expect([attributeOf(c, 'collection_name'), attributeOf(c, 'collection_type'), attributeOf(c, 'available')]).toEqual(['alerts', 'DATA_FEED', 'true']);
    expect(childLocals(c)).toEqual([
      'Description',
      'Collection_Volume',
      'Content_Binding',
      'Push_Method',
      'Polling_Service',
      'Subscription_Service',
      'Receiving_Inbox_Service',
    ]);
    expect(textOf(child(c, 'Description'))).toBe('Phishing & C2 indicators <STIX 1.2>');
    expect(textOf(child(c, 'Collection_Volume'))).toBe('120');
    expect(childLocals(child(c, 'Push_Method'))).toEqual(['Protocol_Binding', 'Message_Binding']);
    expect(childLocals(child(c, 'Receiving_Inbox_Service'))).toEqual(['Protocol_Binding', 'Address', 'Message_Binding', 'Content_Binding']);
  });

  it('C-05: a receive-only collection has only its description and inbox', () => {
    const dropBox: CollectionInformation = { ...collection, volume: undefined, contentBindings: [], pushMethods: undefined, pollingServices: [], subscriptionServices: [] };
    const c = child(xmlTree(renderCollectionInformationResponse({ messageId: 'r2', inResponseTo: 'd2', collections: [dropBox] })), 'Collection');
    expect(childLocals(c)).toEqual(['Description', 'Receiving_Inbox_Service']);
  });
});

describe('renderSubscriptionManagementResponse', () => {
  it('b.3 / SB-06: a Subscription with its id, parameters, push target and poll instances, in XSD order', () => {
    const root = xmlTree(
      renderSubscriptionManagementResponse({
        messageId: 'r3',
        inResponseTo: 'm8',
        collectionName: 'alerts',
        message: 'subscribed',
        subscriptions: [
          {
            subscriptionId: 'sub-7f3c',
            status: 'ACTIVE',
            parameters: { responseType: 'FULL', contentBindings: [{ bindingId: CONTENT_BINDING_STIX_12, subtypes: [] }], query: false },
            push: { protocolBinding: PROTOCOL_BINDING_HTTPS, address: 'https://consumer.example/inbox?a=1&b=2', messageBinding: MESSAGE_BINDING_XML_11 },
            pollInstances: [contact('poll')],
          },
          { subscriptionId: 'sub-2', status: 'PAUSED', pollInstances: [] },
        ],
      }),
    );
    expect([root.uri, root.local, attributeOf(root, 'collection_name'), attributeOf(root, 'in_response_to')]).toEqual([
      NS11,
      'Subscription_Management_Response',
      'alerts',
      'm8',
    ]);
    expect(childLocals(root)).toEqual(['Message', 'Subscription', 'Subscription']);
    const [first, second] = root.children.filter((c) => c.kind === 'element' && c.local === 'Subscription');
    if (first?.kind !== 'element' || second?.kind !== 'element') throw new Error('two subscriptions expected');
    expect(attributeOf(first, 'status')).toBe('ACTIVE');
    expect(childLocals(first)).toEqual(['Subscription_ID', 'Subscription_Parameters', 'Push_Parameters', 'Poll_Instance']);
    expect(childLocals(child(first, 'Subscription_Parameters'))).toEqual(['Response_Type', 'Content_Binding']);
    expect(childLocals(child(first, 'Push_Parameters'))).toEqual(['Protocol_Binding', 'Address', 'Message_Binding']);
    expect(textOf(child(child(first, 'Push_Parameters'), 'Address'))).toBe('https://consumer.example/inbox?a=1&b=2');
    expect(attributeOf(second, 'status')).toBe('PAUSED');
    expect(childLocals(second)).toEqual(['Subscription_ID']);
  });
});

