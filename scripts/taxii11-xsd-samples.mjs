// Writes one of each TAXII message the hub sends (1.1, and the 1.0 forms) into a directory, for
// scripts/taxii11-xsd-check.sh to validate against the TAXII XSDs. Usage:
//   node scripts/taxii11-xsd-samples.mjs <compiled src/domain/taxii11 dir> <output dir>
// The first argument is where `tsc` put the compiled module (its index.js).
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [compiled, out] = process.argv.slice(2);
if (!compiled || !out) {
  console.error('usage: node scripts/taxii11-xsd-samples.mjs <compiled taxii11 dir> <output dir>');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const t = require(resolve(compiled, 'index.js'));
mkdirSync(out, { recursive: true });

const HUB = 'https://hub.example.org/taxii/acme "&<>';
const label = (iso) => Date.parse(iso) * 1000;
const pkg =
  '<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="hub:Package-1" version="1.2"><stix:Indicators>' +
  '<stix:Indicator xsi:type="indicator:IndicatorType" id="hub:indicator-1"><indicator:Title>C2 &amp; friends</indicator:Title></stix:Indicator>' +
  '</stix:Indicators></stix:STIX_Package>';

for (const version of ['1.1', '1.0']) {
  const v11 = version === '1.1';
  // TAXII 1.0 message ids are digit strings (UnsignedIntegerType).
  const id = (n) => (v11 ? `urn:uuid:00000000-0000-4000-8000-00000000000${n}` : String(n));
  const contact = (path) => ({
    protocolBinding: t.PROTOCOL_BINDING_HTTPS,
    address: `${HUB}/${path}`,
    messageBindings: [t.messageBindingOf(version)],
  });
  const bindings = [{ bindingId: t.CONTENT_BINDING_STIX_12, subtypes: [] }, { bindingId: t.CONTENT_BINDING_STIX_111, subtypes: ['urn:example:subtype'] }];
  const block = (iso, extra = {}) => ({ bindingId: t.CONTENT_BINDING_STIX_12, contentXml: pkg, timestampLabel: label(iso), ...extra });
  const samples = {
    'status-success': t.renderStatusMessage({ messageId: id(1), inResponseTo: id(2), statusType: 'SUCCESS' }, version),
    'status-details': t.renderStatusMessage(
      {
        messageId: id(1),
        inResponseTo: '0',
        statusType: v11 ? 'DESTINATION_COLLECTION_ERROR' : 'NOT_FOUND',
        details: [
          { name: t.DETAIL_ACCEPTABLE_DESTINATION, value: 'alerts' },
          { name: t.DETAIL_ACCEPTABLE_DESTINATION, value: 'a<&>"b' },
        ],
        message: 'no such collection: <&>',
      },
      version,
    ),
    'discovery-response': t.renderDiscoveryResponse(
      {
        messageId: id(3),
        inResponseTo: id(4),
        services: [
          { serviceType: 'DISCOVERY', serviceVersion: t.servicesVersionOf(version), available: true, ...contact('discovery') },
          { serviceType: 'COLLECTION_MANAGEMENT', serviceVersion: t.servicesVersionOf(version), available: true, ...contact('collection-management') },
          { serviceType: 'POLL', serviceVersion: t.servicesVersionOf(version), ...contact('poll') },
          { serviceType: 'INBOX', serviceVersion: t.servicesVersionOf(version), available: false, ...contact('inbox'), contentBindings: bindings, message: 'STIX <1.x>' },
        ],
      },
      version,
    ),
    'collection-information-response': t.renderCollectionInformationResponse(
      {
        messageId: id(5),
        inResponseTo: id(6),
        collections: [
          {
            name: 'alerts',
            type: 'DATA_FEED',
            available: true,
            description: 'Phishing & C2 <indicators>',
            volume: 120,
            contentBindings: bindings,
            pushMethods: [{ protocolBinding: t.PROTOCOL_BINDING_HTTPS, messageBindings: [t.messageBindingOf(version)] }],
            pollingServices: [contact('poll')],
            subscriptionServices: [contact('collection-management')],
            receivingInboxServices: [{ ...contact('inbox'), contentBindings: bindings }],
          },
          {
            name: 'drop-box',
            type: 'DATA_FEED',
            description: 'receive only',
            contentBindings: bindings.slice(0, 1),
            pollingServices: [contact('poll')],
            subscriptionServices: [],
            receivingInboxServices: [contact('inbox')],
          },
        ],
      },
      version,
    ),
    'subscription-management-response': t.renderSubscriptionManagementResponse(
      {
        messageId: id(7),
        inResponseTo: id(8),
        collectionName: 'alerts',
        message: 'ok & done',
        subscriptions: [
          {
            subscriptionId: 'sub-1',
            status: 'ACTIVE',
            parameters: { responseType: 'COUNT_ONLY', contentBindings: bindings, query: false },
            push: { protocolBinding: t.PROTOCOL_BINDING_HTTPS, address: 'https://consumer.example/inbox?a=1&b=2', messageBinding: t.messageBindingOf(version) },
            pollInstances: [contact('poll')],
          },
          { subscriptionId: 'sub-2', status: 'PAUSED', parameters: { responseType: 'FULL', contentBindings: [], query: false }, pollInstances: [] },
        ],
      },
      version,
    ),
    'poll-response-part': t.renderPollResponse(
      {
        messageId: id(9),
        inResponseTo: id(1),
        collectionName: 'alerts',
        more: true,
        resultId: 'urn:uuid:result-42',
        partNumber: 1,
        subscriptionId: 'sub-1',
        exclusiveBegin: label('2024-01-01T00:00:00Z'),
        inclusiveEnd: label('2024-01-02T00:00:00Z') + 123456,
        recordCount: { count: 250, partial: false },
        message: 'part <1>',
        contentBlocks: [block('2024-01-01T12:00:00Z'), block('2024-01-01T13:00:00Z', { subtype: 'urn:example:subtype', message: 'hi & bye' })],
      },
      version,
    ),
    'poll-response-count-only': t.renderPollResponse(
      {
        messageId: id(2),
        inResponseTo: id(3),
        collectionName: 'alerts',
        more: false,
        partNumber: 1,
        inclusiveEnd: label('2024-01-02T00:00:00Z'),
        recordCount: { count: 0, partial: true },
        contentBlocks: [],
      },
      version,
    ),
    'inbox-message-push': t.renderInboxMessage(
      {
        messageId: id(4),
        sourceSubscription: { collectionName: 'alerts', subscriptionId: 'sub-1', exclusiveBegin: label('2024-01-01T00:00:00Z'), inclusiveEnd: label('2024-01-01T12:00:00Z') },
        recordCount: { count: 1, partial: false },
        contentBlocks: [block('2024-01-01T12:00:00Z')],
      },
      version,
    ),
  };
  for (const [name, xml] of Object.entries(samples)) writeFileSync(join(out, `${version}-${name}.xml`), xml);
}
console.log(`wrote ${out}`);
