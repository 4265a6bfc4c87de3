import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Express } from 'express';
import { attributeOf, childElements, childNamed, textOf } from '../../../../src/domain/xml/xml-element';
import { answerClientErrors } from '../../../../src/http/errors/client-error';
import { parseXml } from '../../../../src/http/taxii11/xml/safe-xml-parser';
import type { Database, EngineName } from '../../../../src/storage/sql/database';
import { demoAuth, startDemoConfigHub } from '../../support/demo-config-hub';

/**
 * The hostile-XML corpus for TAXII 1.1: the real app (composed as `serve` composes it, over the demo
 * configuration) listening on a loopback port, so bodies and headers go out byte for byte. Every
 * answer is read as the Status_Message a TAXII client gets, and checked for what must never be in it.
 */

export const NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1';
export const NS10 = 'http://taxii.mitre.org/messages/taxii_xml_binding-1';
export const STIX12 = 'urn:stix.mitre.org:xml:1.2';

/**
 * The TAXII 1.1 body limit of these tests (settings.submissionLimitBytes; 16 MB in production): small
 * enough to send a body over it cheaply, large enough for the multi-megabyte cases under it.
 */
export const TAXII11_LIMIT = 8 * 1024 * 1024;

export const HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/xml',
  'X-TAXII-Content-Type': 'urn:taxii.mitre.org:message:xml:1.1',
  'X-TAXII-Accept': 'urn:taxii.mitre.org:message:xml:1.1',
  'X-TAXII-Services': 'urn:taxii.mitre.org:services:1.1',
  'X-TAXII-Protocol': 'urn:taxii.mitre.org:protocol:http:1.0',
};

export interface Taxii11HostileHub {
  readonly app: Express;
  readonly db: Database;
  readonly port: number;
  close(): Promise<void>;
}

export async function startTaxii11HostileHub(engine: EngineName = 'pglite'): Promise<Taxii11HostileHub> {
  const { app, db } = await startDemoConfigHub(engine, { submissionLimitBytes: TAXII11_LIMIT });
  const server = http.createServer(app);
  answerClientErrors(server); // as `serve` does: what Node's HTTP parser refuses still gets a Status_Message
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    app,
    db,
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/** A loopback listener counting the connections made to it (each closed at once): what no request may make the hub contact. */
export interface ConnectionCounter {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly connections: number;
  close(): Promise<void>;
}

export async function startConnectionCounter(): Promise<ConnectionCounter> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

export interface SendOptions {
  readonly user?: string;
  readonly method?: string;
  /** Replaces the TAXII headers (the Authorization header is still added). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends `body` to `path` exactly as given, as `user` (alice by default). */
export function send(hub: Taxii11HostileHub, path: string, body: string | Buffer, options: SendOptions = {}): Promise<Answer> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const headers = { ...(options.headers ?? HEADERS), Authorization: demoAuth(options.user ?? 'alice'), 'Content-Length': String(bytes.length) };
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: hub.port, path, method: options.method ?? 'POST', headers });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

/** Writes a raw HTTP request on a fresh connection and reads until the server closes it. */
export function sendRaw(hub: Taxii11HostileHub, request: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(hub.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text: text.slice(split + 4) });
    });
    socket.write(request);
  });
}

export interface StatusRead {
  readonly namespace: string;
  readonly type: string | undefined;
  readonly inResponseTo: string | undefined;
  readonly message: string;
  readonly details: readonly (readonly [string | undefined, string])[];
}

/** The answer read as a Status_Message (fails the test when it is anything else). */
export function statusOf(answer: Answer): StatusRead {
  const parsed = parseXml(answer.text);
  if (!parsed.ok) throw new Error(`the answer is not XML the hub itself reads (${parsed.message}): ${answer.text.slice(0, 300)}`);
  const root = parsed.root;
  if (root.local !== 'Status_Message') throw new Error(`expected a Status_Message, got ${root.local}: ${answer.text.slice(0, 300)}`);
  const detail = childNamed(root, root.uri, 'Status_Detail');
  const message = childNamed(root, root.uri, 'Message');
  return {
    namespace: root.uri,
    type: attributeOf(root, 'status_type'),
    inResponseTo: attributeOf(root, 'in_response_to'),
    message: message === undefined ? '' : textOf(message),
    details: detail === undefined ? [] : childElements(detail).map((d) => [attributeOf(d, 'name'), textOf(d)] as const),
  };
}

export interface ExpectedStatus {
  readonly type: string;
  readonly message: RegExp;
  /** The request's message_id, or '0' when it was not readable. */
  readonly inResponseTo: string;
  /** HTTP status (200 unless said). */
  readonly http?: number;
  /** Namespace of the answer (TAXII 1.1 unless said). */
  readonly namespace?: string;
}

/** What no answer may ever show: an internal failure, a stack, a local file's content. */
export function expectNothingLeaked(answer: Answer): void {
  expect(answer.status).not.toBe(500);
  expect(answer.text).not.toMatch(/Internal server error|INTERNAL|\n\s+at [\w.<]+ \(|root:x:0:0|node_modules/);
}

/** The answer is exactly this Status_Message, in HTTP 200 with the TAXII headers. */
export function expectStatus(answer: Answer, expected: ExpectedStatus): StatusRead {
  expectNothingLeaked(answer);
  const status = statusOf(answer);
  expect({ http: answer.status, type: status.type, inResponseTo: status.inResponseTo, namespace: status.namespace }).toEqual({
    http: expected.http ?? 200,
    type: expected.type,
    inResponseTo: expected.inResponseTo,
    namespace: expected.namespace ?? NS,
  });
  expect(status.message).toMatch(expected.message);
  expect(answer.headers['content-type']).toBe('application/xml; charset=utf-8');
  return status;
}

const TABLES = ['stix_objects', 'indicator_keys', 'object_references', 'hub_object_keys', 'audit_log', 'subscriptions', 'taxii11_result_sets', 'taxii_statuses'];

/** Rows of every table a TAXII 1.1 request can write; equal before and after a refused request. */
export async function storedRows(db: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = rows[0]?.n ?? -1;
  }
  return counts;
}

export const id = (): string => randomUUID();

/** A STIX 1.2 package with one IPv4 indicator (what cabby pushes), declaring its namespaces on the root. */
export function stixPackage(ip: string, extra = ''): string {
  return `<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2" xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:example="http://example.com/" id="example:Package-${id()}" version="1.2">${extra}<stix:Indicators><stix:Indicator xsi:type="indicator:IndicatorType" id="example:indicator-${id()}" timestamp="2026-12-01T10:00:00+00:00"><indicator:Title>C2 ${ip}</indicator:Title><indicator:Observable id="example:Observable-${id()}"><cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr"><AddressObj:Address_Value condition="Equals">${ip}</AddressObj:Address_Value></cybox:Properties></cybox:Object></indicator:Observable></stix:Indicator></stix:Indicators></stix:STIX_Package>`;
}

/** A Content_Block holding `content` (an element, or escaped text) under `binding`. */
export function block(content: string, binding = STIX12): string {
  return `<taxii_11:Content_Block><taxii_11:Content_Binding binding_id="${binding}"/><taxii_11:Content>${content}</taxii_11:Content></taxii_11:Content_Block>`;
}

/** An Inbox_Message to acme-internal (alice may write two collections, so she names one). */
export function inbox(messageId: string, blocks: string, destination = 'acme-internal'): string {
  return `<taxii_11:Inbox_Message xmlns:taxii_11="${NS}" message_id="${messageId}"><taxii_11:Destination_Collection_Name>${destination}</taxii_11:Destination_Collection_Name>${blocks}</taxii_11:Inbox_Message>`;
}

export function poll(messageId: string, inner = '<taxii_11:Poll_Parameters allow_asynch="false"/>', collection = 'acme-internal'): string {
  return `<taxii_11:Poll_Request xmlns:taxii_11="${NS}" message_id="${messageId}" collection_name="${collection}">${inner}</taxii_11:Poll_Request>`;
}

export function discovery(messageId: string, inner = ''): string {
  return `<taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="${messageId}">${inner}</taxii_11:Discovery_Request>`;
}

/** XML text as the escaped text of a Content element (X-11). */
export const escaped = (xml: string): string => xml.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A 1 KB billion-laughs document: ten levels of ten references, 10^9 "lol"s if anything expanded it. */
export function billionLaughs(root = '<lolz>&lol9;</lolz>'): string {
  let entities = '<!ENTITY lol "lol">';
  for (let level = 1; level <= 9; level += 1) entities += `<!ENTITY lol${level} "${`&lol${level === 1 ? '' : level - 1};`.repeat(10)}">`;
  return `<?xml version="1.0"?><!DOCTYPE lolz [${entities}]>${root}`;
}

/** Quadratic blow-up: one 50 KB entity referenced 50 000 times (2.5 GB if expanded). */
export function quadraticBlowup(): string {
  return `<?xml version="1.0"?><!DOCTYPE kaboom [<!ENTITY a "${'a'.repeat(50_000)}">]><kaboom>${'&a;'.repeat(50_000)}</kaboom>`;
}
