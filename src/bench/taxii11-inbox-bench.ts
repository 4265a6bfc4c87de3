import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createBenchStore, startBenchHub, type BenchHub, type BenchStore } from './bench-hub-process';

/**
 * TAXII 1.1 Inbox ingest (target >= 3,000 indicators/s): Inbox_Messages carrying one STIX 1.2 package
 * of `perMessage` indicators each (IPv4 addresses, domain names and URLs; TLP markings on the package
 * and on some indicators) POSTed to a hub's /taxii1/inbox with HTTP Basic authentication, by
 * `concurrency` senders at once (two providers of the demo configuration, both writing to
 * acme-internal). Every message must be answered with a SUCCESS Status_Message. Reports indicators/s
 * for new indicators, then for the same messages sent again (every indicator already present).
 *
 * Against a running hub: runTaxii11InboxBench({ url: 'http://127.0.0.1:8080' }, print); without `url`
 * the hub of the working tree's build (dist/) is started on a fresh store (PGlite, or a scratch
 * database on the PostgreSQL server `databaseUrl` names) and stopped afterwards.
 */

export interface Taxii11InboxBenchOptions {
  /** A running hub's base URL (with the demo configuration). */
  readonly url?: string;
  /** When no `url` is given: a PostgreSQL server for the started hub (else PGlite). */
  readonly databaseUrl?: string;
  /** Indicators in all; 20,000 by default. */
  readonly indicators?: number;
  /** Indicators per Inbox_Message; 500 by default. */
  readonly perMessage?: number;
  /** Messages in flight at once; 4 by default. */
  readonly concurrency?: number;
}

export interface Taxii11InboxBenchFigures {
  readonly engine: string;
  /** New indicators stored per second. */
  readonly indicatorsPerSecond: number;
  /** The same messages again, every indicator already present, per second. */
  readonly resentPerSecond: number;
}

const INBOX_PATH = '/taxii1/inbox';
const DESTINATION = 'acme-internal';
const PROVIDERS = ['alice', 'bob'] as const; // acme-hq, acme-east: both write to acme-internal
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`;

const NAMESPACES =
  'xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2" ' +
  'xmlns:marking="http://data-marking.mitre.org/Marking-1" xmlns:tlpMarking="http://data-marking.mitre.org/extensions/MarkingStructure#TLP-1" ' +
  'xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2" ' +
  'xmlns:DomainNameObj="http://cybox.mitre.org/objects#DomainNameObject-1" xmlns:URIObj="http://cybox.mitre.org/objects#URIObject-2" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bench="https://bench.example.org/stix1"';

const handling = (color: string) =>
  `<marking:Marking><marking:Controlled_Structure>//node() | //@*</marking:Controlled_Structure>` +
  `<marking:Marking_Structure xsi:type="tlpMarking:TLPMarkingStructureType" color="${color}"/></marking:Marking>`;

/** The CybOX object of indicator `n`: an IPv4 address, a domain name or a URL. */
function observable(n: number): string {
  const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  switch (n % 3) {
    case 0:
      return `<cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value condition="Equals">${ip}</AddressObj:Address_Value></cybox:Properties>`;
    case 1:
      return `<cybox:Properties xsi:type="DomainNameObj:DomainNameObjectType" type="FQDN"><DomainNameObj:Value condition="Equals">c2-${n}.bench-example.net</DomainNameObj:Value></cybox:Properties>`;
    default:
      return `<cybox:Properties xsi:type="URIObj:URIObjectType" type="URL"><URIObj:Value condition="Equals">http://drop-${n}.bench-example.org/payload/${n}</URIObj:Value></cybox:Properties>`;
  }
}

function indicatorXml(run: string, n: number, timestamp: string): string {
  // Every fifth indicator is marked GREEN itself; the others carry the package's AMBER.
  const own = n % 5 === 0 ? `<indicator:Handling>${handling('GREEN')}</indicator:Handling>` : '';
  return (
    `<stix:Indicator xsi:type="indicator:IndicatorType" id="bench:indicator-${run}-${n}" timestamp="${timestamp}">` +
    `<indicator:Title>bench indicator ${n}</indicator:Title>` +
    `<indicator:Valid_Time_Position><indicator:Start_Time>${timestamp}</indicator:Start_Time></indicator:Valid_Time_Position>` +
    `<indicator:Observable id="bench:observable-${run}-${n}"><cybox:Object>${observable(n)}</cybox:Object></indicator:Observable>` +
    `${own}</stix:Indicator>`
  );
}

/** An Inbox_Message with one STIX 1.2 package of the indicators numbered from..from+count-1. */
export function inboxMessageXml(run: string, from: number, count: number, timestamp: string): string {
  let indicators = '';
  for (let n = from; n < from + count; n++) indicators += indicatorXml(run, n, timestamp);
  return (
    `<taxii_11:Inbox_Message xmlns:taxii_11="http://taxii.mitre.org/messages/taxii_xml_binding-1.1" message_id="${randomUUID()}">` +
    `<taxii_11:Destination_Collection_Name>${DESTINATION}</taxii_11:Destination_Collection_Name>` +
    `<taxii_11:Content_Block><taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/><taxii_11:Content>` +
    `<stix:STIX_Package ${NAMESPACES} id="bench:package-${run}-${from}" version="1.2" timestamp="${timestamp}">` +
    `<stix:STIX_Header><stix:Handling>${handling('AMBER')}</stix:Handling></stix:STIX_Header>` +
    `<stix:Indicators>${indicators}</stix:Indicators></stix:STIX_Package>` +
    `</taxii_11:Content></taxii_11:Content_Block></taxii_11:Inbox_Message>`
  );
}

async function post(url: string, user: string, body: string): Promise<void> {
  const response = await fetch(`${url}${INBOX_PATH}`, {
    method: 'POST',
    headers: {
      authorization: basic(user),
      'content-type': 'application/xml',
      accept: 'application/xml',
      'x-taxii-content-type': 'urn:taxii.mitre.org:message:xml:1.1',
      'x-taxii-accept': 'urn:taxii.mitre.org:message:xml:1.1',
      'x-taxii-services': 'urn:taxii.mitre.org:services:1.1',
      'x-taxii-protocol': url.startsWith('https:') ? 'urn:taxii.mitre.org:protocol:https:1.0' : 'urn:taxii.mitre.org:protocol:http:1.0',
    },
    body,
  });
  const answer = await response.text();
  if (response.status !== 200 || !/status_type="SUCCESS"/.test(answer)) throw new Error(`the inbox answered ${response.status}: ${answer.slice(0, 500)}`);
}

/** Sends every message (each by the provider its index picks), `concurrency` at a time; answers indicators/s. */
async function send(url: string, messages: readonly string[], total: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    for (let m = next++; m < messages.length; m = next++) await post(url, PROVIDERS[m % PROVIDERS.length] as string, messages[m] as string);
  };
  await Promise.all(Array.from({ length: concurrency }, () => sender()));
  return total / ((performance.now() - started) / 1000);
}

export async function runTaxii11InboxBench(options: Taxii11InboxBenchOptions, print: (line: string) => void): Promise<Taxii11InboxBenchFigures> {
  const total = options.indicators ?? 20_000;
  const perMessage = options.perMessage ?? 500;
  const concurrency = options.concurrency ?? 4;
  let store: BenchStore | undefined;
  let hub: BenchHub | undefined;
  try {
    let url = options.url;
    let engine = 'running hub';
    if (url === undefined) {
      store = await createBenchStore(options.databaseUrl);
      hub = await startBenchHub({ store });
      url = hub.url;
      engine = hub.engine;
    }
    const run = randomUUID().slice(0, 8);
    const timestamp = new Date().toISOString();
    const messages = Array.from({ length: Math.ceil(total / perMessage) }, (_, m) => inboxMessageXml(run, m * perMessage, Math.min(perMessage, total - m * perMessage), timestamp));
    print(`TAXII 1.1 Inbox ingest (${engine}): ${total.toLocaleString('en-US')} STIX 1.2 indicators in Inbox_Messages of ${perMessage}, ${concurrency} senders`);
    const indicatorsPerSecond = await send(url, messages, total, concurrency);
    print(`  new indicators: ${Math.round(indicatorsPerSecond).toLocaleString('en-US')} indicators/s (target >= 3,000)`);
    const resentPerSecond = await send(url, messages, total, concurrency);
    print(`  the same messages again (already present): ${Math.round(resentPerSecond).toLocaleString('en-US')} indicators/s`);
    return { engine, indicatorsPerSecond, resentPerSecond };
  } finally {
    await hub?.stop();
    await store?.drop();
  }
}
