import { parseMicros } from '../../../src/domain/timestamps';
import { PREFIXES, STIX_PACKAGE, TAXII_11, parsedMessage, refusal, withPrefix } from './taxii-xml-fixtures';

/**
 * The TAXII 1.1 requests of checklist section (b), each read under the prefixes clients use
 * (`taxii_11:` from libtaxii/cabby, `ns2:` from JAXB, a default namespace): dispatch is on the
 * namespace URI and local name (§0.1, X-01).
 */

const micros = (text: string): number => parseMicros(text) as number;

describe.each(PREFIXES)("TAXII 1.1 requests of section (b) with prefix '%s'", (prefix) => {
  const read = (xml: string) => parsedMessage(withPrefix(xml, prefix));

  it('b.1 / D-01: a Discovery_Request is a discovery request carrying its message id', () => {
    expect(read(`<taxii_11:Discovery_Request ${TAXII_11} message_id="d6a1b2c3-0000-4000-8000-000000000001"/>`)).toEqual({
      kind: 'discovery',
      messageId: 'd6a1b2c3-0000-4000-8000-000000000001',
    });
  });

  it('b.2 / C-02: a Collection_Information_Request is a collection-information request', () => {
    expect(read(`<taxii_11:Collection_Information_Request ${TAXII_11} message_id="m2"/>`)).toEqual({ kind: 'collection-information', messageId: 'm2' });
  });

  it('b.3 / SB-02: SUBSCRIBE with Subscription_Parameters and Push_Parameters', () => {
    const xml = `<taxii_11:Subscription_Management_Request ${TAXII_11} message_id="m8" collection_name="alerts" action="SUBSCRIBE">
      <taxii_11:Subscription_Parameters>
        <taxii_11:Response_Type>FULL</taxii_11:Response_Type>
        <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/>
      </taxii_11:Subscription_Parameters>
      <taxii_11:Push_Parameters>
        <taxii_11:Protocol_Binding>urn:taxii.mitre.org:protocol:https:1.0</taxii_11:Protocol_Binding>
        <taxii_11:Address>https://consumer.example/taxii/inbox</taxii_11:Address>
        <taxii_11:Message_Binding>urn:taxii.mitre.org:message:xml:1.1</taxii_11:Message_Binding>
      </taxii_11:Push_Parameters>
    </taxii_11:Subscription_Management_Request>`;
    expect(read(xml)).toEqual({
      kind: 'subscription-management',
      messageId: 'm8',
      collectionName: 'alerts',
      action: 'SUBSCRIBE',
      parameters: { responseType: 'FULL', contentBindings: [{ bindingId: 'urn:stix.mitre.org:xml:1.2', subtypes: [] }], query: false },
      push: {
        protocolBinding: 'urn:taxii.mitre.org:protocol:https:1.0',
        address: 'https://consumer.example/taxii/inbox',
        messageBinding: 'urn:taxii.mitre.org:message:xml:1.1',
      },
    });
  });

  it('b.3 / SB-07: STATUS without a Subscription_ID asks about all of the requester\'s subscriptions', () => {
    expect(read(`<taxii_11:Subscription_Management_Request ${TAXII_11} message_id="m9" collection_name="alerts" action="STATUS"/>`)).toEqual({
      kind: 'subscription-management',
      messageId: 'm9',
      collectionName: 'alerts',
      action: 'STATUS',
    });
  });

  it('b.4 / P-03, P-06: a poll with a feed window and Poll_Parameters', () => {
    const xml = `<taxii_11:Poll_Request ${TAXII_11} message_id="d6a1b2c3-0000-4000-8000-000000000003" collection_name="alerts">
      <taxii_11:Exclusive_Begin_Timestamp>2024-01-01T00:00:00+00:00</taxii_11:Exclusive_Begin_Timestamp>
      <taxii_11:Inclusive_End_Timestamp>2024-01-02T00:00:00+00:00</taxii_11:Inclusive_End_Timestamp>
      <taxii_11:Poll_Parameters allow_asynch="false">
        <taxii_11:Response_Type>FULL</taxii_11:Response_Type>
        <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/>
      </taxii_11:Poll_Parameters>
    </taxii_11:Poll_Request>`;
    expect(read(xml)).toEqual({
      kind: 'poll',
      messageId: 'd6a1b2c3-0000-4000-8000-000000000003',
      collectionName: 'alerts',
      exclusiveBegin: micros('2024-01-01T00:00:00Z'),
      inclusiveEnd: micros('2024-01-02T00:00:00Z'),
      parameters: { allowAsynch: false, responseType: 'FULL', contentBindings: [{ bindingId: 'urn:stix.mitre.org:xml:1.2', subtypes: [] }], query: false },
    });
  });

  it('b.4 / P-17: a count-only poll', () => {
    const xml = `<taxii_11:Poll_Request ${TAXII_11} message_id="m4" collection_name="alerts">
      <taxii_11:Poll_Parameters allow_asynch="false"><taxii_11:Response_Type>COUNT_ONLY</taxii_11:Response_Type></taxii_11:Poll_Parameters>
    </taxii_11:Poll_Request>`;
    expect(read(xml)).toMatchObject({ kind: 'poll', parameters: { responseType: 'COUNT_ONLY', contentBindings: [], allowAsynch: false, query: false } });
  });

  it('b.4 / P-02: a poll of an existing subscription', () => {
    const xml = `<taxii_11:Poll_Request ${TAXII_11} message_id="x5" collection_name="alerts"><taxii_11:Subscription_ID>sub-1</taxii_11:Subscription_ID></taxii_11:Poll_Request>`;
    expect(read(xml)).toEqual({ kind: 'poll', messageId: 'x5', collectionName: 'alerts', subscriptionId: 'sub-1' });
  });

  it('b.5 / MP-03: a Poll_Fulfillment names collection, result and part', () => {
    const xml = `<taxii_11:Poll_Fulfillment ${TAXII_11} message_id="f6" collection_name="alerts" result_id="r-42" result_part_number="2"/>`;
    expect(read(xml)).toEqual({ kind: 'poll-fulfillment', messageId: 'f6', collectionName: 'alerts', resultId: 'r-42', partNumber: 2 });
  });

  it('b.6 / X-11: a client push keeps the embedded STIX package as parsed, with its namespaces', () => {
    const xml = `<taxii_11:Inbox_Message ${TAXII_11} message_id="m7">
      <taxii_11:Destination_Collection_Name>alerts</taxii_11:Destination_Collection_Name>
      <taxii_11:Content_Block>
        <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/>
        <taxii_11:Content>${STIX_PACKAGE}</taxii_11:Content>
        <taxii_11:Timestamp_Label>2024-01-01T12:00:00+00:00</taxii_11:Timestamp_Label>
      </taxii_11:Content_Block>
    </taxii_11:Inbox_Message>`;
    const message = read(xml);
    if (message.kind !== 'inbox') throw new Error(message.kind);
    expect(message.destinations).toEqual(['alerts']);
    expect(message.contentBlocks).toHaveLength(1);
    const [block] = message.contentBlocks;
    expect(block?.binding).toEqual({ bindingId: 'urn:stix.mitre.org:xml:1.2', subtypes: [] });
    expect(block?.timestampLabel).toBe(micros('2024-01-01T12:00:00Z'));
    if (block?.content.kind !== 'xml') throw new Error('expected embedded XML');
    expect(block.content.element.uri).toBe('http://stix.mitre.org/stix-1');
    expect(block.content.element.local).toBe('STIX_Package');
    expect(block.content.element.namespaces['stix']).toBe('http://stix.mitre.org/stix-1');
  });

  it('b.6 / I-09: a producer push carries its Source_Subscription and Record_Count', () => {
    const xml = `<taxii_11:Inbox_Message ${TAXII_11} message_id="push-1">
      <taxii_11:Source_Subscription collection_name="alerts">
        <taxii_11:Subscription_ID>sub-7f3c</taxii_11:Subscription_ID>
        <taxii_11:Exclusive_Begin_Timestamp>2024-01-01T00:00:00+00:00</taxii_11:Exclusive_Begin_Timestamp>
        <taxii_11:Inclusive_End_Timestamp>2024-01-01T12:00:00.123456+00:00</taxii_11:Inclusive_End_Timestamp>
      </taxii_11:Source_Subscription>
      <taxii_11:Record_Count partial_count="false">1</taxii_11:Record_Count>
      <taxii_11:Content_Block>
        <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/>
        <taxii_11:Content>${STIX_PACKAGE}</taxii_11:Content>
      </taxii_11:Content_Block>
    </taxii_11:Inbox_Message>`;
    expect(read(xml)).toMatchObject({
      kind: 'inbox',
      destinations: [],
      sourceSubscription: {
        collectionName: 'alerts',
        subscriptionId: 'sub-7f3c',
        exclusiveBegin: micros('2024-01-01T00:00:00Z'),
        inclusiveEnd: micros('2024-01-01T12:00:00.123456Z'),
      },
      recordCount: { count: 1, partial: false },
    });
  });

  it('b.7 / S-04: a Status_Message with its details (a subscriber inbox\'s answer)', () => {
    const xml = `<taxii_11:Status_Message ${TAXII_11} message_id="s4" in_response_to="push-1" status_type="DESTINATION_COLLECTION_ERROR">
      <taxii_11:Status_Detail>
        <taxii_11:Detail name="ACCEPTABLE_DESTINATION">alerts</taxii_11:Detail>
        <taxii_11:Detail name="ACCEPTABLE_DESTINATION">phishing</taxii_11:Detail>
      </taxii_11:Status_Detail>
      <taxii_11:Message>pick one</taxii_11:Message>
    </taxii_11:Status_Message>`;
    expect(read(xml)).toEqual({
      kind: 'status',
      messageId: 's4',
      inResponseTo: 'push-1',
      statusType: 'DESTINATION_COLLECTION_ERROR',
      details: [
        { name: 'ACCEPTABLE_DESTINATION', value: 'alerts' },
        { name: 'ACCEPTABLE_DESTINATION', value: 'phishing' },
      ],
      message: 'pick one',
    });
  });
});

describe('what the reader ignores or tolerates', () => {
  it('X-09, X-10: Extended_Headers and a ds:Signature do not disturb reading', () => {
    const xml = `<taxii_11:Poll_Request ${TAXII_11} xmlns:ds="http://www.w3.org/2000/09/xmldsig#" message_id="m1" collection_name="alerts">
      <taxii_11:Extended_Headers><taxii_11:Extended_Header name="urn:example:h">x<b>y</b></taxii_11:Extended_Header></taxii_11:Extended_Headers>
      <taxii_11:Subscription_ID>sub-1</taxii_11:Subscription_ID>
      <ds:Signature><ds:SignedInfo/></ds:Signature>
    </taxii_11:Poll_Request>`;
    expect(parsedMessage(xml)).toEqual({ kind: 'poll', messageId: 'm1', collectionName: 'alerts', subscriptionId: 'sub-1' });
  });

  it('X-12: Padding in a Content_Block is ignored', () => {
    const xml = `<taxii_11:Inbox_Message ${TAXII_11} message_id="m1"><taxii_11:Content_Block>
      <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/><taxii_11:Content>${STIX_PACKAGE}</taxii_11:Content>
      <taxii_11:Message>hello</taxii_11:Message><taxii_11:Padding>xxxxxxxx</taxii_11:Padding></taxii_11:Content_Block></taxii_11:Inbox_Message>`;
    const message = parsedMessage(xml);
    expect(message).toMatchObject({ kind: 'inbox', contentBlocks: [{ message: 'hello' }] });
  });

  it('d.3: several Subtype elements in a Content_Binding (cabby --subtype twice) are all kept', () => {
    const xml = `<taxii_11:Inbox_Message ${TAXII_11} message_id="m1"><taxii_11:Content_Block>
      <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.1.1"><taxii_11:Subtype subtype_id="a"/><taxii_11:Subtype subtype_id="b"/></taxii_11:Content_Binding>
      <taxii_11:Content>${STIX_PACKAGE}</taxii_11:Content></taxii_11:Content_Block></taxii_11:Inbox_Message>`;
    expect(parsedMessage(xml)).toMatchObject({ contentBlocks: [{ binding: { bindingId: 'urn:stix.mitre.org:xml:1.1.1', subtypes: ['a', 'b'] } }] });
  });

  it('X-11: escaped text content comes back as text for the caller to parse', () => {
    const xml = `<taxii_11:Inbox_Message ${TAXII_11} message_id="m1"><taxii_11:Content_Block>
      <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/>
      <taxii_11:Content>  &lt;stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1"/&gt;  </taxii_11:Content></taxii_11:Content_Block></taxii_11:Inbox_Message>`;
    expect(parsedMessage(xml)).toMatchObject({
      contentBlocks: [{ content: { kind: 'text', text: '<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1"/>' } }],
    });
  });

  it('X-11: CDATA content comes back as text too', () => {
    const xml = `<taxii_11:Inbox_Message ${TAXII_11} message_id="m1"><taxii_11:Content_Block>
      <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/>
      <taxii_11:Content><![CDATA[<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" version="1.2"/>]]></taxii_11:Content></taxii_11:Content_Block></taxii_11:Inbox_Message>`;
    expect(parsedMessage(xml)).toMatchObject({
      contentBlocks: [{ content: { kind: 'text', text: '<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" version="1.2"/>' } }],
    });
  });

  it('X-11: an embedded element inherits the namespaces declared on the message root', () => {
    const xml = `<Inbox_Message xmlns="${'http://taxii.mitre.org/messages/taxii_xml_binding-1.1'}" xmlns:stix="http://stix.mitre.org/stix-1"
      xmlns:indicator="http://stix.mitre.org/Indicator-2" message_id="m1"><Content_Block>
      <Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/>
      <Content><stix:STIX_Package version="1.2"/></Content></Content_Block></Inbox_Message>`;
    const message = parsedMessage(xml);
    if (message.kind !== 'inbox' || message.contentBlocks[0]?.content.kind !== 'xml') throw new Error('expected embedded XML');
    expect(message.contentBlocks[0].content.element.namespaces['indicator']).toBe('http://stix.mitre.org/Indicator-2');
  });

  it('P-06: allow_asynch="1" and Delivery_Parameters are read', () => {
    const xml = `<taxii_11:Poll_Request ${TAXII_11} message_id="m1" collection_name="alerts"><taxii_11:Poll_Parameters allow_asynch="1">
      <taxii_11:Query format_id="urn:taxii.mitre.org:query:default:1.0"/>
      <taxii_11:Delivery_Parameters><taxii_11:Protocol_Binding>p</taxii_11:Protocol_Binding><taxii_11:Address>a</taxii_11:Address>
      <taxii_11:Message_Binding>m</taxii_11:Message_Binding></taxii_11:Delivery_Parameters></taxii_11:Poll_Parameters></taxii_11:Poll_Request>`;
    expect(parsedMessage(xml)).toMatchObject({
      parameters: { allowAsynch: true, responseType: 'FULL', query: true, delivery: { protocolBinding: 'p', address: 'a', messageBinding: 'm' } },
    });
  });

  it('SB-01: a Subscription_ID sent with SUBSCRIBE is ignored', () => {
    const xml = `<taxii_11:Subscription_Management_Request ${TAXII_11} message_id="m1" collection_name="alerts" action="SUBSCRIBE">
      <taxii_11:Subscription_ID>sub-1</taxii_11:Subscription_ID>
      <taxii_11:Subscription_Parameters><taxii_11:Response_Type>COUNT_ONLY</taxii_11:Response_Type></taxii_11:Subscription_Parameters>
    </taxii_11:Subscription_Management_Request>`;
    const message = parsedMessage(xml);
    expect(message).toEqual({
      kind: 'subscription-management',
      messageId: 'm1',
      collectionName: 'alerts',
      action: 'SUBSCRIBE',
      parameters: { responseType: 'COUNT_ONLY', contentBindings: [], query: false },
    });
  });

  it.each(['UNSUBSCRIBE', 'PAUSE', 'RESUME', 'STATUS'])('SB-01: %s carries its Subscription_ID', (action) => {
    const xml = `<taxii_11:Subscription_Management_Request ${TAXII_11} message_id="m1" collection_name="alerts" action="${action}">
      <taxii_11:Subscription_ID>sub-1</taxii_11:Subscription_ID></taxii_11:Subscription_Management_Request>`;
    expect(parsedMessage(xml)).toMatchObject({ action, subscriptionId: 'sub-1' });
  });

  it('X-04: refusals still carry the request message id for in_response_to', () => {
    expect(refusal(`<taxii_11:Poll_Request ${TAXII_11} message_id="abc"/>`).inResponseTo).toBe('abc');
  });
});

describe('cabby-shaped requests (checklist d.3)', () => {
  it('d.3: taxii-poll -b b1,b2 --begin --end sends one Content_Binding per -b and +00:00 labels', () => {
    const xml = `<taxii_11:Poll_Request ${TAXII_11} message_id="4f0c5b8e-1111-4000-8000-000000000001" collection_name="alerts">
      <taxii_11:Exclusive_Begin_Timestamp>2024-03-01T10:00:00.250000+00:00</taxii_11:Exclusive_Begin_Timestamp>
      <taxii_11:Inclusive_End_Timestamp>2024-03-02T10:00:00+00:00</taxii_11:Inclusive_End_Timestamp>
      <taxii_11:Poll_Parameters allow_asynch="false">
        <taxii_11:Response_Type>FULL</taxii_11:Response_Type>
        <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.1.1"/>
        <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/>
      </taxii_11:Poll_Parameters>
    </taxii_11:Poll_Request>`;
    expect(parsedMessage(xml)).toMatchObject({
      exclusiveBegin: micros('2024-03-01T10:00:00.25Z'),
      inclusiveEnd: micros('2024-03-02T10:00:00Z'),
      parameters: {
        contentBindings: [
          { bindingId: 'urn:stix.mitre.org:xml:1.1.1', subtypes: [] },
          { bindingId: 'urn:stix.mitre.org:xml:1.2', subtypes: [] },
        ],
      },
    });
  });

  it('d.3: taxii-push with no --dest sends no Destination_Collection_Name', () => {
    const xml = `<taxii_11:Inbox_Message ${TAXII_11} message_id="m1"><taxii_11:Content_Block>
      <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.1.1"/><taxii_11:Content>${STIX_PACKAGE}</taxii_11:Content>
      <taxii_11:Timestamp_Label>2024-03-01T10:00:00.123456+00:00</taxii_11:Timestamp_Label></taxii_11:Content_Block></taxii_11:Inbox_Message>`;
    expect(parsedMessage(xml)).toMatchObject({ kind: 'inbox', destinations: [], contentBlocks: [{ timestampLabel: micros('2024-03-01T10:00:00.123456Z') }] });
  });
});
