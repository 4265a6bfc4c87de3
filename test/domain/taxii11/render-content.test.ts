import { attributeOf, childElements, textOf, type XmlElement } from '../../../src/domain/xml/xml-element';
import { serializeElement } from '../../../src/domain/xml/xml-writer';
import { parseMicros } from '../../../src/domain/timestamps';
import { CONTENT_BINDING_STIX_12 } from '../../../src/domain/taxii11/taxii-identifiers';
import { renderPollResponse } from '../../../src/domain/taxii11/poll-messages';
import { renderInboxMessage } from '../../../src/domain/taxii11/inbox-messages';
import type { OutgoingContentBlock } from '../../../src/domain/taxii11/content-blocks';
import { parseTaxiiRequest } from '../../../src/domain/taxii11/parse-request';
import { NS11, STIX_PACKAGE, child, childLocals, xmlTree } from './taxii-xml-fixtures';

/**
 * Rendering the messages that carry content: Poll_Response (P-11, P-12, P-17, MP-01) and the
 * Inbox_Message the hub pushes to a subscriber (SB-12, I-09).
 */

const µs = (text: string): number => parseMicros(text) as number;
const STIX_NS = 'http://stix.mitre.org/stix-1';

const INDICATOR_PACKAGE =
  '<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="hub:Package-1" version="1.2"><stix:Indicators>' +
  '<stix:Indicator xsi:type="indicator:IndicatorType" id="hub:indicator-1"><indicator:Title>C2 &amp; "friends"</indicator:Title></stix:Indicator>' +
  '</stix:Indicators></stix:STIX_Package>';

const block = (label: string, contentXml = STIX_PACKAGE): OutgoingContentBlock => ({ bindingId: CONTENT_BINDING_STIX_12, contentXml, timestampLabel: µs(label) });

describe('renderPollResponse', () => {
  it('b.4 / P-11, P-12, P-17: part 1 of a multi-part feed result, in XSD order', () => {
    const xml = renderPollResponse({
      messageId: 'pr1',
      inResponseTo: 'd3',
      collectionName: 'alerts',
      more: true,
      resultId: 'r-42',
      partNumber: 1,
      exclusiveBegin: µs('2024-01-01T00:00:00Z'),
      inclusiveEnd: µs('2024-01-02T00:00:00Z'),
      recordCount: { count: 250, partial: false },
      message: 'part 1 of 3',
      contentBlocks: [block('2024-01-01T12:00:00.000001Z'), { ...block('2024-01-01T12:00:00.5Z', INDICATOR_PACKAGE), subtype: 'urn:example:sub', message: 'hi' }],
    });
    const root = xmlTree(xml);
    expect([root.uri, root.local]).toEqual([NS11, 'Poll_Response']);
    expect(['collection_name', 'more', 'result_id', 'result_part_number', 'in_response_to'].map((a) => attributeOf(root, a))).toEqual([
      'alerts',
      'true',
      'r-42',
      '1',
      'd3',
    ]);
    expect(childLocals(root)).toEqual(['Exclusive_Begin_Timestamp', 'Inclusive_End_Timestamp', 'Record_Count', 'Message', 'Content_Block', 'Content_Block']);
    expect(textOf(child(root, 'Exclusive_Begin_Timestamp'))).toBe('2024-01-01T00:00:00.000000Z');
    expect(textOf(child(root, 'Inclusive_End_Timestamp'))).toBe('2024-01-02T00:00:00.000000Z');
    expect([textOf(child(root, 'Record_Count')), attributeOf(child(root, 'Record_Count'), 'partial_count')]).toEqual(['250', 'false']);
    const [first, second] = childElements(root).filter((c) => c.local === 'Content_Block');
    if (first === undefined || second === undefined) throw new Error('two blocks expected');
    expect(childLocals(first)).toEqual(['Content_Binding', 'Content', 'Timestamp_Label']);
    expect(textOf(child(first, 'Timestamp_Label'))).toBe('2024-01-01T12:00:00.000001Z');
    expect(childLocals(second)).toEqual(['Content_Binding', 'Content', 'Timestamp_Label', 'Message']);
    expect(attributeOf(child(child(second, 'Content_Binding'), 'Subtype'), 'subtype_id')).toBe('urn:example:sub');
    expect(textOf(child(second, 'Timestamp_Label'))).toBe('2024-01-01T12:00:00.500000Z');
  });

  it('X-11: embedded content is the package itself, its QName attribute values still resolvable', () => {
    const root = xmlTree(renderPollResponse({ messageId: 'p', inResponseTo: 'q', collectionName: 'a', more: false, partNumber: 1, inclusiveEnd: 0, contentBlocks: [block('2024-01-01T00:00:00Z', INDICATOR_PACKAGE)] }));
    const content = child(child(root, 'Content_Block'), 'Content');
    const [pkg] = childElements(content);
    if (pkg === undefined) throw new Error('package expected');
    expect([pkg.uri, pkg.local]).toEqual([STIX_NS, 'STIX_Package']);
    const indicator = child(child(pkg, 'Indicators', STIX_NS), 'Indicator', STIX_NS) as XmlElement;
    expect(indicator.namespaces['indicator']).toBe('http://stix.mitre.org/Indicator-2');
    expect(textOf(child(indicator, 'Title', 'http://stix.mitre.org/Indicator-2'))).toBe('C2 & "friends"');
  });

  it('P-12, P-17: a count-only response has the end label and the count, no blocks, and more="false"', () => {
    const root = xmlTree(
      renderPollResponse({
        messageId: 'pr2',
        inResponseTo: 'd4',
        collectionName: 'alerts',
        more: false,
        partNumber: 1,
        inclusiveEnd: µs('2024-01-02T00:00:00Z'),
        recordCount: { count: 250, partial: true },
        contentBlocks: [],
      }),
    );
    expect(childLocals(root)).toEqual(['Inclusive_End_Timestamp', 'Record_Count']);
    expect(attributeOf(root, 'more')).toBe('false');
    expect(attributeOf(root, 'result_id')).toBeUndefined();
    expect(attributeOf(child(root, 'Record_Count'), 'partial_count')).toBe('true');
  });

  it('P-11: a subscription poll echoes the Subscription_ID first', () => {
    const root = xmlTree(
      renderPollResponse({ messageId: 'p', inResponseTo: 'q', collectionName: 'a', more: false, partNumber: 2, subscriptionId: 'sub-1', inclusiveEnd: 1, contentBlocks: [] }),
    );
    expect(childLocals(root)).toEqual(['Subscription_ID', 'Inclusive_End_Timestamp']);
    expect(attributeOf(root, 'result_part_number')).toBe('2');
  });

  it('escapes collection names, result ids and messages', () => {
    const root = xmlTree(
      renderPollResponse({ messageId: 'p', inResponseTo: 'q', collectionName: 'a<&"b', more: true, resultId: 'r&1', partNumber: 1, inclusiveEnd: 1, message: '<&>', contentBlocks: [] }),
    );
    expect([attributeOf(root, 'collection_name'), attributeOf(root, 'result_id'), textOf(child(root, 'Message'))]).toEqual(['a<&"b', 'r&1', '<&>']);
  });

  it('embeds 1,000 blocks of ~2 KB as they are, each with its label (the poll benchmark measures how fast)', () => {
    const big = `<stix:STIX_Package xmlns:stix="${STIX_NS}" version="1.2">${'<stix:Note>0123456789abcdef</stix:Note>'.repeat(50)}</stix:STIX_Package>`;
    const blocks = Array.from({ length: 1000 }, (_, i) => ({ bindingId: CONTENT_BINDING_STIX_12, contentXml: big, timestampLabel: 1_700_000_000_000_000 + i }));
    const xml = renderPollResponse({ messageId: 'p', inResponseTo: 'q', collectionName: 'a', more: false as const, partNumber: 1, inclusiveEnd: 1_800_000_000_000_000, contentBlocks: blocks });
    expect(xml.split(big)).toHaveLength(1001);
    expect(xml.match(/<taxii_11:Timestamp_Label>/g)).toHaveLength(1000);
  });
});

describe('renderInboxMessage', () => {
  it('b.6 / SB-12, I-09: a push names its source subscription and window, counts, then the blocks', () => {
    const xml = renderInboxMessage({
      messageId: 'push-1',
      sourceSubscription: { collectionName: 'alerts', subscriptionId: 'sub-7f3c', exclusiveBegin: µs('2024-01-01T00:00:00Z'), inclusiveEnd: µs('2024-01-01T12:00:00.123456Z') },
      recordCount: { count: 1, partial: false },
      contentBlocks: [block('2024-01-01T12:00:00.123456Z')],
    });
    const root = xmlTree(xml);
    expect([root.uri, root.local, attributeOf(root, 'message_id')]).toEqual([NS11, 'Inbox_Message', 'push-1']);
    expect(childLocals(root)).toEqual(['Source_Subscription', 'Record_Count', 'Content_Block']);
    const source = child(root, 'Source_Subscription');
    expect(attributeOf(source, 'collection_name')).toBe('alerts');
    expect(childLocals(source)).toEqual(['Subscription_ID', 'Exclusive_Begin_Timestamp', 'Inclusive_End_Timestamp']);
    expect(textOf(child(source, 'Inclusive_End_Timestamp'))).toBe('2024-01-01T12:00:00.123456Z');
  });

  it('the hub reads back what it pushes: the same subscription, window and content', () => {
    const pkg = xmlTree(INDICATOR_PACKAGE);
    const xml = renderInboxMessage({
      messageId: 'push-2',
      sourceSubscription: { collectionName: 'alerts', subscriptionId: 's', inclusiveEnd: µs('2024-05-05T05:05:05.050505Z') },
      contentBlocks: [{ bindingId: CONTENT_BINDING_STIX_12, contentXml: serializeElement(pkg), timestampLabel: µs('2024-05-05T05:05:05.050505Z') }],
    });
    const parsed = parseTaxiiRequest(xmlTree(xml));
    if (!parsed.ok || parsed.message.kind !== 'inbox') throw new Error('an inbox message expected');
    expect(parsed.message.sourceSubscription).toEqual({ collectionName: 'alerts', subscriptionId: 's', inclusiveEnd: µs('2024-05-05T05:05:05.050505Z') });
    const [received] = parsed.message.contentBlocks;
    expect(received?.timestampLabel).toBe(µs('2024-05-05T05:05:05.050505Z'));
    if (received?.content.kind !== 'xml') throw new Error('embedded XML expected');
    // Cut out of the envelope, it also declares the envelope's namespace (in scope there, harmless).
    expect(serializeElement(received.content.element).replace(` xmlns:taxii_11="${NS11}"`, '')).toBe(serializeElement(pkg));
  });
});
