import { NS10, STIX_PACKAGE, TAXII_11, refusal } from './taxii-xml-fixtures';

/**
 * Requests the hub refuses, and what it tells the client: BAD_MESSAGE for a malformed request
 * UNSUPPORTED_MESSAGE for a message it does not take as a request. Every message names the
 * element or attribute at fault, and in_response_to is the request's message_id, or '0' when that
 * cannot be read.
 */

const poll = (attributes: string, children: string) => `<taxii_11:Poll_Request ${TAXII_11} ${attributes}>${children}</taxii_11:Poll_Request>`;
const params = '<taxii_11:Poll_Parameters/>';

describe('the root element', () => {
  it('X-01: a root in no TAXII namespace is a BAD_MESSAGE saying what was expected', () => {
    expect(refusal('<Poll_Request message_id="m1" collection_name="a"/>')).toEqual({
      status: 'BAD_MESSAGE',
      inResponseTo: 'm1',
      message: "expected a TAXII 1.1 message (an element in namespace http://taxii.mitre.org/messages/taxii_xml_binding-1.1), found 'Poll_Request' in no namespace",
    });
    expect(refusal('<x:Poll_Request xmlns:x="urn:other" message_id="m1"/>').message).toContain("found 'Poll_Request' in namespace urn:other");
  });

  it.each(['Discovery_Response', 'Collection_Information_Response', 'Subscription_Management_Response', 'Poll_Response'])(
    'X-01: a %s sent as a request is UNSUPPORTED_MESSAGE',
    (local) => {
      expect(refusal(`<taxii_11:${local} ${TAXII_11} message_id="m1" in_response_to="x"/>`)).toEqual({
        status: 'UNSUPPORTED_MESSAGE',
        inResponseTo: 'm1',
        message: `${local} is a response message; the hub does not accept it as a request`,
      });
    },
  );

  it('X-01: an unknown element in the TAXII namespace is a BAD_MESSAGE listing the messages', () => {
    const r = refusal(`<taxii_11:Hello ${TAXII_11} message_id="m1"/>`);
    expect(r.status).toBe('BAD_MESSAGE');
    expect(r.message).toMatch(/^Hello is not a TAXII 1\.1 message \(expected one of Discovery_Request, .*Poll_Request/);
  });

  it('1.1-only messages are not accepted in the 1.0 namespace', () => {
    expect(refusal(`<t:Poll_Fulfillment xmlns:t="${NS10}" message_id="1" collection_name="a" result_id="r" result_part_number="1"/>`)).toMatchObject({
      status: 'BAD_MESSAGE',
      message: expect.stringMatching(/^Poll_Fulfillment is not a TAXII 1\.0 message/),
    });
  });

  it("X-04: a missing message_id is a BAD_MESSAGE answered in response to '0'", () => {
    expect(refusal(`<taxii_11:Discovery_Request ${TAXII_11}/>`)).toEqual({
      status: 'BAD_MESSAGE',
      inResponseTo: '0',
      message: 'Discovery_Request has no message_id attribute',
    });
  });
});

describe('Poll_Request', () => {
  it('a missing collection_name is named', () => {
    expect(refusal(poll('message_id="m1"', params))).toEqual({ status: 'BAD_MESSAGE', inResponseTo: 'm1', message: 'Poll_Request has no collection_name attribute' });
  });

  it('P-02: both Subscription_ID and Poll_Parameters', () => {
    expect(refusal(poll('message_id="m1" collection_name="a"', `<taxii_11:Subscription_ID>s</taxii_11:Subscription_ID>${params}`)).message).toBe(
      'Poll_Request has both Subscription_ID and Poll_Parameters (exactly one is allowed)',
    );
  });

  it('P-02: neither Subscription_ID nor Poll_Parameters', () => {
    expect(refusal(poll('message_id="m1" collection_name="a"', '')).message).toBe(
      'Poll_Request has neither Subscription_ID nor Poll_Parameters (exactly one is required)',
    );
  });

  it('P-05: an end that is not later than the begin names both', () => {
    const window =
      '<taxii_11:Exclusive_Begin_Timestamp>2024-01-02T00:00:00Z</taxii_11:Exclusive_Begin_Timestamp>' +
      '<taxii_11:Inclusive_End_Timestamp>2024-01-02T00:00:00+00:00</taxii_11:Inclusive_End_Timestamp>';
    expect(refusal(poll('message_id="m1" collection_name="a"', window + params)).message).toBe(
      'Inclusive_End_Timestamp (2024-01-02T00:00:00.000000Z) must be later than Exclusive_Begin_Timestamp (2024-01-02T00:00:00.000000Z)',
    );
  });

  it('X-08: a label without a time zone', () => {
    const begin = '<taxii_11:Exclusive_Begin_Timestamp>2024-01-01T00:00:00</taxii_11:Exclusive_Begin_Timestamp>';
    expect(refusal(poll('message_id="m1" collection_name="a"', begin + params)).message).toBe(
      "Exclusive_Begin_Timestamp '2024-01-01T00:00:00' has no time zone (TAXII timestamps need Z or ±hh:mm)",
    );
  });

  it('X-08: a label with seven fractional digits', () => {
    const end = '<taxii_11:Inclusive_End_Timestamp>2024-01-01T00:00:00.1234567Z</taxii_11:Inclusive_End_Timestamp>';
    expect(refusal(poll('message_id="m1" collection_name="a"', end + params)).message).toBe(
      "Inclusive_End_Timestamp '2024-01-01T00:00:00.1234567Z' has 7 fractional digits (TAXII allows at most 6)",
    );
  });

  it('P-06: an unknown Response_Type', () => {
    const p = '<taxii_11:Poll_Parameters><taxii_11:Response_Type>SOME</taxii_11:Response_Type></taxii_11:Poll_Parameters>';
    expect(refusal(poll('message_id="m1" collection_name="a"', p)).message).toBe("Response_Type 'SOME' is neither FULL nor COUNT_ONLY");
  });

  it('P-06: allow_asynch that is not a boolean', () => {
    expect(refusal(poll('message_id="m1" collection_name="a"', '<taxii_11:Poll_Parameters allow_asynch="maybe"/>')).message).toBe(
      "Poll_Parameters@allow_asynch is 'maybe', not true or false",
    );
  });

  it('a Content_Binding without binding_id', () => {
    const p = '<taxii_11:Poll_Parameters><taxii_11:Content_Binding/></taxii_11:Poll_Parameters>';
    expect(refusal(poll('message_id="m1" collection_name="a"', p)).message).toBe('a Content_Binding in Poll_Parameters has no binding_id attribute');
  });

  it('Delivery_Parameters without an Address', () => {
    const p =
      '<taxii_11:Poll_Parameters allow_asynch="true"><taxii_11:Delivery_Parameters><taxii_11:Protocol_Binding>p</taxii_11:Protocol_Binding>' +
      '<taxii_11:Message_Binding>m</taxii_11:Message_Binding></taxii_11:Delivery_Parameters></taxii_11:Poll_Parameters>';
    expect(refusal(poll('message_id="m1" collection_name="a"', p)).message).toBe('Delivery_Parameters has no Address (or it is empty)');
  });

  it('two Subscription_ID elements', () => {
    const s = '<taxii_11:Subscription_ID>a</taxii_11:Subscription_ID><taxii_11:Subscription_ID>b</taxii_11:Subscription_ID>';
    expect(refusal(poll('message_id="m1" collection_name="a"', s)).message).toBe('Poll_Request has 2 Subscription_ID elements (at most one is allowed)');
  });
});

describe('Poll_Fulfillment', () => {
  const fulfillment = (attributes: string) => `<taxii_11:Poll_Fulfillment ${TAXII_11} message_id="m1" ${attributes}/>`;

  it('MP-03: the part number is required even though the XSD makes it optional', () => {
    expect(refusal(fulfillment('collection_name="a" result_id="r"')).message).toBe('Poll_Fulfillment has no result_part_number attribute');
  });

  it.each(['0', '-1', 'two', '1.5'])('MP-03: part number %s is not a positive integer', (part) => {
    expect(refusal(fulfillment(`collection_name="a" result_id="r" result_part_number="${part}"`)).message).toBe(
      `Poll_Fulfillment@result_part_number '${part}' is not a positive integer`,
    );
  });

  it('MP-03: the result id is required', () => {
    expect(refusal(fulfillment('collection_name="a" result_part_number="1"')).message).toBe('Poll_Fulfillment has no result_id attribute');
  });
});

describe('Subscription_Management_Request', () => {
  const request = (action: string, children = '') =>
    `<taxii_11:Subscription_Management_Request ${TAXII_11} message_id="m1" collection_name="a" action="${action}">${children}</taxii_11:Subscription_Management_Request>`;
  const subscriptionParameters = '<taxii_11:Subscription_Parameters><taxii_11:Response_Type>FULL</taxii_11:Response_Type></taxii_11:Subscription_Parameters>';

  it.each(['UNSUBSCRIBE', 'PAUSE', 'RESUME'])('SB-01: %s without a Subscription_ID', (action) => {
    expect(refusal(request(action))).toEqual({
      status: 'BAD_MESSAGE',
      inResponseTo: 'm1',
      message: `Subscription_Management_Request with action ${action} has no Subscription_ID`,
    });
  });

  it('SB-01: an unknown action', () => {
    expect(refusal(request('DELETE')).message).toBe(
      "Subscription_Management_Request@action 'DELETE' is not one of SUBSCRIBE, UNSUBSCRIBE, PAUSE, RESUME, STATUS",
    );
  });

  it('SB-02: SUBSCRIBE without Subscription_Parameters', () => {
    expect(refusal(request('SUBSCRIBE')).message).toBe('Subscription_Management_Request with action SUBSCRIBE has no Subscription_Parameters');
  });

  it('SB-02: Subscription_Parameters with another action', () => {
    expect(refusal(request('STATUS', subscriptionParameters)).message).toBe(
      'Subscription_Management_Request with action STATUS may not carry Subscription_Parameters',
    );
  });

  it('SB-02: Push_Parameters missing its Message_Binding', () => {
    const push =
      '<taxii_11:Push_Parameters><taxii_11:Protocol_Binding>p</taxii_11:Protocol_Binding><taxii_11:Address>a</taxii_11:Address></taxii_11:Push_Parameters>';
    expect(refusal(request('SUBSCRIBE', subscriptionParameters + push)).message).toBe('Push_Parameters has no Message_Binding (or it is empty)');
  });

  it('a missing collection_name', () => {
    const xml = `<taxii_11:Subscription_Management_Request ${TAXII_11} message_id="m1" action="STATUS"/>`;
    expect(refusal(xml).message).toBe('Subscription_Management_Request has no collection_name attribute');
  });
});

describe('Inbox_Message', () => {
  const inbox = (children: string) => `<taxii_11:Inbox_Message ${TAXII_11} message_id="m1">${children}</taxii_11:Inbox_Message>`;
  const binding = '<taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/>';

  it('a Content_Block without Content_Binding', () => {
    expect(refusal(inbox(`<taxii_11:Content_Block><taxii_11:Content>${STIX_PACKAGE}</taxii_11:Content></taxii_11:Content_Block>`)).message).toBe(
      'Content_Block 1 has no Content_Binding',
    );
  });

  it('a Content_Block without Content', () => {
    expect(refusal(inbox(`<taxii_11:Content_Block>${binding}</taxii_11:Content_Block>`)).message).toBe('Content_Block 1 has no Content');
  });

  it('X-11: empty Content', () => {
    expect(refusal(inbox(`<taxii_11:Content_Block>${binding}<taxii_11:Content>  </taxii_11:Content></taxii_11:Content_Block>`)).message).toBe(
      'the Content of Content_Block 1 is empty',
    );
  });

  it('X-11: two elements in one Content (the second block is counted from 1)', () => {
    const ok = `<taxii_11:Content_Block>${binding}<taxii_11:Content>${STIX_PACKAGE}</taxii_11:Content></taxii_11:Content_Block>`;
    const two = `<taxii_11:Content_Block>${binding}<taxii_11:Content>${STIX_PACKAGE}${STIX_PACKAGE}</taxii_11:Content></taxii_11:Content_Block>`;
    expect(refusal(inbox(ok + two)).message).toBe('the Content of Content_Block 2 holds 2 elements (one is expected)');
  });

  it('X-08: a Timestamp_Label without a zone', () => {
    const block = `<taxii_11:Content_Block>${binding}<taxii_11:Content>x</taxii_11:Content><taxii_11:Timestamp_Label>2024-01-01T00:00:00</taxii_11:Timestamp_Label></taxii_11:Content_Block>`;
    expect(refusal(inbox(block)).message).toBe("Timestamp_Label '2024-01-01T00:00:00' has no time zone (TAXII timestamps need Z or ±hh:mm)");
  });

  it('I-09: a Source_Subscription without its Subscription_ID', () => {
    expect(refusal(inbox('<taxii_11:Source_Subscription collection_name="a"/>')).message).toBe('Source_Subscription has no Subscription_ID (or it is empty)');
  });

  it('a Record_Count that is not a number', () => {
    expect(refusal(inbox('<taxii_11:Record_Count>many</taxii_11:Record_Count>')).message).toBe("Record_Count 'many' is not a non-negative integer");
  });
});

describe('Status_Message', () => {
  it('S-01: status_type and in_response_to are required', () => {
    expect(refusal(`<taxii_11:Status_Message ${TAXII_11} message_id="s1" in_response_to="m1"/>`).message).toBe('Status_Message has no status_type attribute');
    expect(refusal(`<taxii_11:Status_Message ${TAXII_11} message_id="s1" status_type="SUCCESS"/>`).message).toBe(
      'Status_Message has no in_response_to attribute',
    );
  });

  it('S-04: a Detail without a name', () => {
    const xml = `<taxii_11:Status_Message ${TAXII_11} message_id="s1" in_response_to="m1" status_type="NOT_FOUND"><taxii_11:Status_Detail><taxii_11:Detail>x</taxii_11:Detail></taxii_11:Status_Detail></taxii_11:Status_Message>`;
    expect(refusal(xml).message).toBe('a Status_Detail/Detail has no name attribute');
  });
});
