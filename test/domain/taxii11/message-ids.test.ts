import { isTaxii10MessageId, messageIdFor } from '../../../src/domain/taxii11/message-ids';
import { NS10, refusal } from './taxii-xml-fixtures';

/** message ids; TAXII 1.0 allows digits only (UnsignedIntegerType in the 1.0 XSD). */

describe('message ids', () => {
  const uuid = 'd6a1b2c3-0000-4000-8000-000000000001';

  it('X-05: a 1.1 message id is the uuid itself', () => {
    expect(messageIdFor('1.1', uuid)).toBe(uuid);
  });

  it('X-05: a 1.0 message id is the uuid read as a 128-bit decimal number', () => {
    const id = messageIdFor('1.0', uuid);
    expect(isTaxii10MessageId(id)).toBe(true);
    expect(BigInt(id)).toBe(BigInt('0xd6a1b2c3000040008000000000000001'));
    expect(messageIdFor('1.0', 'd6a1b2c3-0000-4000-8000-000000000002')).not.toBe(id);
  });

  it('isTaxii10MessageId accepts digits only', () => {
    expect(['0', '12345'].map(isTaxii10MessageId)).toEqual([true, true]);
    expect(['', 'a1', '-1', '1.0', uuid].map(isTaxii10MessageId)).toEqual([false, false, false, false, false]);
  });

  it("a 1.0 request whose message_id is not digits is a BAD_MESSAGE answered in response to '0'", () => {
    expect(refusal(`<t:Discovery_Request xmlns:t="${NS10}" message_id="abc"/>`)).toEqual({
      status: 'BAD_MESSAGE',
      inResponseTo: '0',
      message: "Discovery_Request@message_id 'abc' is not a TAXII 1.0 message id (digits only)",
    });
  });
});
