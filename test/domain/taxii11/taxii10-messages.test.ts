import { attributeOf, childElements, textOf } from '../../../src/domain/xml/xml-element';
import { parseMicros } from '../../../src/domain/timestamps';
import {
  CONTENT_BINDING_STIX_111,
  MESSAGE_BINDING_XML_10,
  PROTOCOL_BINDING_HTTPS,
  SERVICES_10,
} from '../../../src/domain/taxii11/taxii-identifiers';
import { renderStatusMessage } from '../../../src/domain/taxii11/status-message';
import { renderDiscoveryResponse } from '../../../src/domain/taxii11/discovery-messages';
import { renderCollectionInformationResponse } from '../../../src/domain/taxii11/collection-messages';
import { renderSubscriptionManagementResponse } from '../../../src/domain/taxii11/subscription-messages';
import { renderPollResponse } from '../../../src/domain/taxii11/poll-messages';
import { renderInboxMessage } from '../../../src/domain/taxii11/inbox-messages';
import { NS10, STIX_PACKAGE, child, childLocals, parsedMessage, refusal, xmlTree } from './taxii-xml-fixtures';

/**
 * TAXII 1.0 (MT-08, cabby `-t 1.0`): the same local names in namespace
 * http://taxii.mitre.org/messages/taxii_xml_binding-1, read into the 1.1 kinds and answered in the
 * 1.0 shapes of TAXII_XMLMessageBinding_Schema.xsd (feed_name, content binding ids as text, an
 * inclusive begin in poll responses, a free-text Status_Detail).
 */

const µs = (text: string): number => parseMicros(text) as number;
const T = `xmlns:taxii="${NS10}"`;
const contact = { protocolBinding: PROTOCOL_BINDING_HTTPS, address: 'https://hub.example.org/taxii/acme/poll', messageBindings: [MESSAGE_BINDING_XML_10] };

describe('reading TAXII 1.0 requests', () => {
  it('Discovery_Request and Feed_Information_Request', () => {
    expect(parsedMessage(`<taxii:Discovery_Request ${T} message_id="123"/>`)).toEqual({ kind: 'discovery', messageId: '123' });
    expect(parsedMessage(`<Feed_Information_Request xmlns="${NS10}" message_id="124"/>`)).toEqual({ kind: 'collection-information', messageId: '124' });
  });

  it('a Poll_Request names its feed, window and content bindings as text', () => {
    const xml = `<taxii:Poll_Request ${T} message_id="125" feed_name="alerts" subscription_id="sub-1">
      <taxii:Exclusive_Begin_Timestamp>2024-01-01T00:00:00Z</taxii:Exclusive_Begin_Timestamp>
      <taxii:Inclusive_End_Timestamp>2024-01-02T00:00:00Z</taxii:Inclusive_End_Timestamp>
      <taxii:Content_Binding>urn:stix.mitre.org:xml:1.0</taxii:Content_Binding>
    </taxii:Poll_Request>`;
    expect(parsedMessage(xml)).toEqual({
      kind: 'poll',
      messageId: '125',
      collectionName: 'alerts',
      subscriptionId: 'sub-1',
      exclusiveBegin: µs('2024-01-01T00:00:00Z'),
      inclusiveEnd: µs('2024-01-02T00:00:00Z'),
      parameters: { allowAsynch: false, responseType: 'FULL', contentBindings: [{ bindingId: 'urn:stix.mitre.org:xml:1.0', subtypes: [] }], query: false },
    });
  });

  it('P-05 holds in 1.0 too, and a missing feed_name is named', () => {
    const window = '<taxii:Exclusive_Begin_Timestamp>2024-01-02T00:00:00Z</taxii:Exclusive_Begin_Timestamp><taxii:Inclusive_End_Timestamp>2024-01-01T00:00:00Z</taxii:Inclusive_End_Timestamp>';
    expect(refusal(`<taxii:Poll_Request ${T} message_id="1" feed_name="a">${window}</taxii:Poll_Request>`).message).toMatch(/^Inclusive_End_Timestamp .* must be later than/);
    expect(refusal(`<taxii:Poll_Request ${T} message_id="1"/>`).message).toBe('Poll_Request has no feed_name attribute');
  });

  it('an Inbox_Message with a text Content_Binding and a Source_Subscription', () => {
    const xml = `<taxii:Inbox_Message ${T} message_id="126">
      <taxii:Message>hello</taxii:Message>
      <taxii:Source_Subscription feed_name="alerts" subscription_id="s1">
        <taxii:Inclusive_Begin_Timestamp>2024-01-01T00:00:00.000001Z</taxii:Inclusive_Begin_Timestamp>
        <taxii:Inclusive_End_Timestamp>2024-01-02T00:00:00Z</taxii:Inclusive_End_Timestamp>
      </taxii:Source_Subscription>
      <taxii:Content_Block><taxii:Content_Binding>urn:stix.mitre.org:xml:1.0.1</taxii:Content_Binding><taxii:Content>${STIX_PACKAGE}</taxii:Content>
        <taxii:Timestamp_Label>2024-01-01T12:00:00Z</taxii:Timestamp_Label><taxii:Padding>zz</taxii:Padding></taxii:Content_Block>
    </taxii:Inbox_Message>`;
    expect(parsedMessage(xml)).toMatchObject({
      kind: 'inbox',
      messageId: '126',
      destinations: [],
      message: 'hello',
      sourceSubscription: { collectionName: 'alerts', subscriptionId: 's1', exclusiveBegin: µs('2024-01-01T00:00:00Z'), inclusiveEnd: µs('2024-01-02T00:00:00Z') },
      contentBlocks: [{ binding: { bindingId: 'urn:stix.mitre.org:xml:1.0.1', subtypes: [] }, timestampLabel: µs('2024-01-01T12:00:00Z') }],
    });
  });

  it('SB-01: 1.0 subscription management: subscription_id attribute, bindings in Push_Parameters, no PAUSE', () => {
    const subscribe = `<taxii:Subscription_Management_Request ${T} message_id="127" feed_name="alerts" action="SUBSCRIBE">
      <taxii:Push_Parameters><taxii:Protocol_Binding>p</taxii:Protocol_Binding><taxii:Address>a</taxii:Address><taxii:Message_Binding>m</taxii:Message_Binding>
      <taxii:Content_Binding>urn:stix.mitre.org:xml:1.0</taxii:Content_Binding></taxii:Push_Parameters></taxii:Subscription_Management_Request>`;
    expect(parsedMessage(subscribe)).toEqual({
      kind: 'subscription-management',
      messageId: '127',
      collectionName: 'alerts',
      action: 'SUBSCRIBE',
      parameters: { responseType: 'FULL', contentBindings: [{ bindingId: 'urn:stix.mitre.org:xml:1.0', subtypes: [] }], query: false },
      push: { protocolBinding: 'p', address: 'a', messageBinding: 'm' },
    });
    expect(parsedMessage(`<taxii:Subscription_Management_Request ${T} message_id="128" feed_name="alerts" action="UNSUBSCRIBE" subscription_id="s1"/>`)).toMatchObject({
      action: 'UNSUBSCRIBE',
      subscriptionId: 's1',
    });
    expect(refusal(`<taxii:Subscription_Management_Request ${T} message_id="129" feed_name="alerts" action="UNSUBSCRIBE"/>`).message).toBe(
      'Subscription_Management_Request with action UNSUBSCRIBE has no subscription_id',
    );
    expect(refusal(`<taxii:Subscription_Management_Request ${T} message_id="130" feed_name="alerts" action="PAUSE" subscription_id="s1"/>`).message).toBe(
      "Subscription_Management_Request@action 'PAUSE' is not one of SUBSCRIBE, UNSUBSCRIBE, STATUS",
    );
  });

  it('a 1.0 Status_Message keeps its free-text Status_Detail as one unnamed detail', () => {
    const xml = `<taxii:Status_Message ${T} message_id="131" in_response_to="9" status_type="NOT_FOUND"><taxii:Status_Detail>alerts</taxii:Status_Detail></taxii:Status_Message>`;
    expect(parsedMessage(xml)).toEqual({ kind: 'status', messageId: '131', inResponseTo: '9', statusType: 'NOT_FOUND', details: [{ name: '', value: 'alerts' }] });
  });

  it('X-01: a 1.0 response sent as a request is UNSUPPORTED_MESSAGE', () => {
    expect(refusal(`<taxii:Feed_Information_Response ${T} message_id="1" in_response_to="2"/>`).status).toBe('UNSUPPORTED_MESSAGE');
  });
});

describe('rendering TAXII 1.0 responses', () => {
  it('Status_Message: the detail values in one Status_Detail text', () => {
    const root = xmlTree(
      renderStatusMessage(
        { messageId: '1', inResponseTo: '2', statusType: 'UNSUPPORTED_MESSAGE', details: [{ name: 'SUPPORTED_BINDING', value: 'a' }, { name: 'SUPPORTED_BINDING', value: 'b' }], message: 'm' },
        '1.0',
      ),
    );
    expect([root.uri, root.local]).toEqual([NS10, 'Status_Message']);
    expect(childLocals(root, NS10)).toEqual(['Status_Detail', 'Message']);
    expect(textOf(child(root, 'Status_Detail', NS10))).toBe('a b');
  });

  it('Discovery_Response: FEED_MANAGEMENT, content bindings as text', () => {
    const root = xmlTree(
      renderDiscoveryResponse(
        {
          messageId: '1',
          inResponseTo: '2',
          services: [
            { serviceType: 'COLLECTION_MANAGEMENT', serviceVersion: SERVICES_10, ...contact },
            { serviceType: 'INBOX', serviceVersion: SERVICES_10, ...contact, contentBindings: [{ bindingId: CONTENT_BINDING_STIX_111, subtypes: ['x'] }] },
          ],
        },
        '1.0',
      ),
    );
    const [management, inbox] = childElements(root);
    if (management === undefined || inbox === undefined) throw new Error('two instances expected');
    expect(attributeOf(management, 'service_type')).toBe('FEED_MANAGEMENT');
    expect(childLocals(inbox, NS10)).toEqual(['Protocol_Binding', 'Address', 'Message_Binding', 'Content_Binding']);
    expect(textOf(child(inbox, 'Content_Binding', NS10))).toBe(CONTENT_BINDING_STIX_111);
  });

  it('Feed_Information_Response: a Feed with feed_name, no type, volume or inbox', () => {
    const root = xmlTree(
      renderCollectionInformationResponse(
        {
          messageId: '1',
          inResponseTo: '2',
          collections: [
            {
              name: 'alerts',
              type: 'DATA_FEED',
              description: 'd',
              volume: 3,
              contentBindings: [{ bindingId: CONTENT_BINDING_STIX_111, subtypes: [] }],
              pollingServices: [contact],
              subscriptionServices: [contact],
              receivingInboxServices: [contact],
            },
          ],
        },
        '1.0',
      ),
    );
    expect([root.uri, root.local]).toEqual([NS10, 'Feed_Information_Response']);
    const feed = child(root, 'Feed', NS10);
    expect([attributeOf(feed, 'feed_name'), attributeOf(feed, 'collection_type')]).toEqual(['alerts', undefined]);
    expect(childLocals(feed, NS10)).toEqual(['Description', 'Content_Binding', 'Polling_Service', 'Subscription_Service']);
  });

  it('Subscription_Management_Response: feed_name, subscription_id attributes', () => {
    const root = xmlTree(
      renderSubscriptionManagementResponse(
        { messageId: '1', inResponseTo: '2', collectionName: 'alerts', subscriptions: [{ subscriptionId: 's1', status: 'ACTIVE', pollInstances: [contact] }] },
        '1.0',
      ),
    );
    expect(attributeOf(root, 'feed_name')).toBe('alerts');
    const s = child(root, 'Subscription', NS10);
    expect([attributeOf(s, 'subscription_id'), attributeOf(s, 'status')]).toEqual(['s1', undefined]);
    expect(childLocals(s, NS10)).toEqual(['Poll_Instance']);
  });

  it('Poll_Response: an inclusive begin one microsecond after the exclusive begin, the end, then the blocks', () => {
    const root = xmlTree(
      renderPollResponse(
        {
          messageId: '1',
          inResponseTo: '2',
          collectionName: 'alerts',
          more: false,
          partNumber: 1,
          subscriptionId: 's1',
          exclusiveBegin: µs('2024-01-01T00:00:00Z'),
          inclusiveEnd: µs('2024-01-02T00:00:00Z'),
          recordCount: { count: 1, partial: false },
          message: 'm',
          contentBlocks: [{ bindingId: CONTENT_BINDING_STIX_111, contentXml: STIX_PACKAGE, timestampLabel: µs('2024-01-01T12:00:00Z'), message: 'dropped in 1.0' }],
        },
        '1.0',
      ),
    );
    expect([root.uri, root.local, attributeOf(root, 'feed_name'), attributeOf(root, 'subscription_id'), attributeOf(root, 'more')]).toEqual([
      NS10,
      'Poll_Response',
      'alerts',
      's1',
      undefined,
    ]);
    expect(childLocals(root, NS10)).toEqual(['Message', 'Inclusive_Begin_Timestamp', 'Inclusive_End_Timestamp', 'Content_Block']);
    expect(textOf(child(root, 'Inclusive_Begin_Timestamp', NS10))).toBe('2024-01-01T00:00:00.000001Z');
    const block = child(root, 'Content_Block', NS10);
    expect(childLocals(block, NS10)).toEqual(['Content_Binding', 'Content', 'Timestamp_Label']);
    expect(textOf(child(block, 'Content_Binding', NS10))).toBe(CONTENT_BINDING_STIX_111);
  });

  it('Inbox_Message push: Source_Subscription with feed_name and an inclusive window', () => {
    const root = xmlTree(
      renderInboxMessage(
        {
          messageId: '3',
          sourceSubscription: { collectionName: 'alerts', subscriptionId: 's1', exclusiveBegin: 0, inclusiveEnd: µs('2024-01-02T00:00:00Z') },
          recordCount: { count: 1, partial: false },
          contentBlocks: [],
        },
        '1.0',
      ),
    );
    expect(childLocals(root, NS10)).toEqual(['Source_Subscription']);
    const source = child(root, 'Source_Subscription', NS10);
    expect([attributeOf(source, 'feed_name'), attributeOf(source, 'subscription_id')]).toEqual(['alerts', 's1']);
    expect(childLocals(source, NS10)).toEqual(['Inclusive_Begin_Timestamp', 'Inclusive_End_Timestamp']);
  });
});
