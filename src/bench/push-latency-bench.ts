import { randomUUID } from 'node:crypto';
import { runDeliveryLatency, type DeliveryLatencyFigures } from './delivery-latency';

/**
 * Push latency (target: p99 <= 2 s): `subscriptions` TAXII 1.1 push subscriptions (two consumer
 * organizations of the demo configuration, each subscription with its own inbox path on one loopback
 * receiver), then `writes` indicators POSTed one at a time by a provider to /taxii1/inbox; for each
 * write and each subscription, the time from the start of the provider's POST to the receiver having
 * the pushed record. Reports p50, p99 and max over every (write, subscription) pair.
 *
 * Without `url` the working tree's hub (dist/) is started on a fresh store, with the demo
 * configuration plus a delivery allow-list of 127.0.0.1/32 for acme-east and acme-west. Against a
 * running hub (`url`), those organizations must already allow-list the receiver's address.
 */

export interface PushLatencyBenchOptions {
  readonly url?: string;
  readonly databaseUrl?: string;
  /** 100 by default. */
  readonly subscriptions?: number;
  /** 20 by default. */
  readonly writes?: number;
}

export type PushLatencyFigures = DeliveryLatencyFigures;

const NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1';
const HEADERS = { 'Content-Type': 'application/xml', 'X-TAXII-Content-Type': 'urn:taxii.mitre.org:message:xml:1.1', 'X-TAXII-Services': 'urn:taxii.mitre.org:services:1.1' };
const COLLECTION = 'acme-internal';
const SUBSCRIBERS = ['carol', 'bob'] as const; // acme-west, acme-east
const PROVIDER = 'alice'; // acme-hq
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`;

function indicatorPackage(ip: string): string {
  const id = randomUUID();
  return (
    `<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2" xmlns:cybox="http://cybox.mitre.org/cybox-2" ` +
    `xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bench="https://bench.example.org/stix1" id="bench:Package-${id}" version="1.2">` +
    `<stix:Indicators><stix:Indicator xsi:type="indicator:IndicatorType" id="bench:indicator-${id}" timestamp="${new Date().toISOString()}"><indicator:Title>bench ${ip}</indicator:Title>` +
    `<indicator:Observable><cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value condition="Equals">${ip}</AddressObj:Address_Value></cybox:Properties></cybox:Object></indicator:Observable>` +
    `</stix:Indicator></stix:Indicators></stix:STIX_Package>`
  );
}

async function post(url: string, user: string, route: string, body: string): Promise<string> {
  const response = await fetch(`${url}${route}`, { method: 'POST', headers: { ...HEADERS, Authorization: basic(user) }, body });
  return response.text();
}

export async function runPushLatencyBench(options: PushLatencyBenchOptions, print: (line: string) => void): Promise<PushLatencyFigures> {
  const subscriptions = options.subscriptions ?? 100;
  const writes = options.writes ?? 20;
  const figures = await runDeliveryLatency({
    ...(options.url !== undefined ? { url: options.url } : {}),
    ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
    allowListed: ['- { id: acme-east, name: ACME East, parent: acme-hq }', '- { id: acme-west, name: ACME West, parent: acme-hq }'],
    receive: ({ path, body, at }, arrivals, res) => {
      for (const match of body.matchAll(/Address_Value[^>]*>([0-9.]+)</g)) arrivals.set(`${path} ${match[1]}`, at);
      res.setHeader('Content-Type', 'application/xml');
      res.end(`<taxii_11:Status_Message xmlns:taxii_11="${NS}" message_id="${randomUUID()}" in_response_to="x" status_type="SUCCESS"/>`);
    },
    register: async (url, inbox) => {
      const paths: string[] = [];
      for (let i = 0; i < subscriptions; i++) {
        const inboxPath = `/inbox/${i}`;
        const answer = await post(url, SUBSCRIBERS[i % SUBSCRIBERS.length] ?? 'carol', '/taxii1/collection-management',
          `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${NS}" message_id="${randomUUID()}" collection_name="${COLLECTION}" action="SUBSCRIBE">` +
            '<taxii_11:Subscription_Parameters><taxii_11:Response_Type>FULL</taxii_11:Response_Type></taxii_11:Subscription_Parameters>' +
            `<taxii_11:Push_Parameters><taxii_11:Protocol_Binding>urn:taxii.mitre.org:protocol:http:1.0</taxii_11:Protocol_Binding><taxii_11:Address>${inbox}${inboxPath}</taxii_11:Address>` +
            '<taxii_11:Message_Binding>urn:taxii.mitre.org:message:xml:1.1</taxii_11:Message_Binding></taxii_11:Push_Parameters></taxii_11:Subscription_Management_Request>');
        if (!answer.includes('status="ACTIVE"')) throw new Error(`subscribing failed: ${answer.slice(0, 300)}`);
        paths.push(inboxPath);
      }
      return paths;
    },
    write: async (url, ip) => {
      const answer = await post(url, PROVIDER, '/taxii1/inbox',
        `<taxii_11:Inbox_Message xmlns:taxii_11="${NS}" message_id="${randomUUID()}"><taxii_11:Destination_Collection_Name>${COLLECTION}</taxii_11:Destination_Collection_Name>` +
          `<taxii_11:Content_Block><taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/><taxii_11:Content>${indicatorPackage(ip)}</taxii_11:Content></taxii_11:Content_Block></taxii_11:Inbox_Message>`);
      if (!answer.includes('status_type="SUCCESS"')) throw new Error(`the inbox refused the write: ${answer.slice(0, 300)}`);
    },
    writes,
    recipient: 'subscriber',
  });
  print(`push latency (${figures.engine}, ${subscriptions} subscriptions, ${writes} writes): p50 ${figures.p50Ms.toFixed(0)} ms, p99 ${figures.p99Ms.toFixed(0)} ms (target <= 2000 ms), max ${figures.maxMs.toFixed(0)} ms`);
  return figures;
}
