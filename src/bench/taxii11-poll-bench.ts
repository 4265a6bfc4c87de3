import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MESSAGE_BINDING_XML_11, PROTOCOL_BINDING_HTTP, SERVICES_11, TAXII_11_NAMESPACE } from '../domain/taxii11/taxii-identifiers';
import { TAXII11_SERVICES } from '../http/taxii11/paths';

/**
 * TAXII 1.1 poll throughput against a running hub: content blocks per second delivered by
 * Poll_Request (part 1, which also makes the result set) and Poll_Fulfillment (parts 2..n) over a
 * collection of `objects` indicators, with the hub's part size (1000 by default). Target (issue):
 * >= 5,000 blocks/s with 1,000-block parts over 100,000 objects.
 *
 * The collection is loaded first when it holds fewer readable records than `objects` (a COUNT_ONLY
 * poll says how many), through `seed` — the TAXII 2.1 bench's loader. Each client then walks the whole
 * result set (every part) again and again until `seconds` have passed, finishing the walk it is in.
 * Answers are read with regular expressions, not an XML parser: the client shares the machine with
 * the hub, and parsing 1,000 STIX packages per part would measure the client.
 */

export const TAXII11_POLL_TARGET_BLOCKS_PER_SECOND = 5000;

export interface Taxii11PollBenchOptions {
  /** The hub's base URL, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** The TAXII 1.1 collection name (the collection's alias), e.g. acme-internal. */
  readonly collectionName: string;
  /** How many records the collection should hold for the caller (100,000 for the target). */
  readonly objects: number;
  /** Loads `count` more objects numbered from `from` (taxii-bench's ingest); without it, the collection must be loaded already. */
  readonly seed?: (url: string, from: number, count: number) => Promise<unknown>;
  /** How long to measure; every client finishes the result set it is walking. */
  readonly seconds: number;
  /** Concurrent pollers (1 by default). */
  readonly clients?: number;
}

export interface LatencyFigures {
  readonly p50: number;
  readonly p99: number;
}

export interface Taxii11PollBenchResult {
  /** Record_Count of the polls (readable indicator records). */
  readonly records: number;
  /** Parts per result set. */
  readonly partsPerPoll: number;
  /** Whole result sets walked, over all clients. */
  readonly polls: number;
  readonly blocks: number;
  readonly seconds: number;
  readonly blocksPerSecond: number;
  /** Part 1: the Poll_Request, which counts and cuts the result set. */
  readonly firstPart: LatencyFigures;
  /** Parts 2..n: Poll_Fulfillment. */
  readonly laterParts: LatencyFigures;
  readonly meetsTarget: boolean;
}

interface PollAnswer {
  readonly blocks: number;
  readonly more: boolean;
  readonly resultId?: string;
  readonly count?: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const attr = (value: string) => value.replace(/[&<>"]/g, (c) => ESCAPES[c] as string);

function pollRequest(collectionName: string, responseType: 'FULL' | 'COUNT_ONLY'): string {
  return (
    `<taxii_11:Poll_Request xmlns:taxii_11="${TAXII_11_NAMESPACE}" message_id="${randomUUID()}" collection_name="${attr(collectionName)}">` +
    `<taxii_11:Poll_Parameters allow_asynch="false"><taxii_11:Response_Type>${responseType}</taxii_11:Response_Type></taxii_11:Poll_Parameters>` +
    `</taxii_11:Poll_Request>`
  );
}

function pollFulfillment(collectionName: string, resultId: string, part: number): string {
  return `<taxii_11:Poll_Fulfillment xmlns:taxii_11="${TAXII_11_NAMESPACE}" message_id="${randomUUID()}" collection_name="${attr(collectionName)}" result_id="${attr(resultId)}" result_part_number="${part}"/>`;
}

/** The root element's attribute `name` (the first occurrence: the root's attributes come first). */
function rootAttribute(xml: string, name: string): string | undefined {
  const root = /<(?:[\w.-]+:)?(\w+)\s([^>]*)>/.exec(xml);
  const match = root === null ? null : new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(root[2] as string);
  return match?.[1];
}

async function send(options: Taxii11PollBenchOptions, body: string): Promise<PollAnswer> {
  const response = await fetch(`${options.url}${TAXII11_SERVICES.poll.path}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`,
      'content-type': 'application/xml',
      accept: 'application/xml',
      'x-taxii-content-type': MESSAGE_BINDING_XML_11,
      'x-taxii-accept': MESSAGE_BINDING_XML_11,
      'x-taxii-services': SERVICES_11,
      'x-taxii-protocol': PROTOCOL_BINDING_HTTP,
    },
    body,
  });
  const xml = await response.text();
  if (response.status !== 200 || !/^\s*(<\?xml[^>]*>\s*)?<(?:[\w.-]+:)?Poll_Response[\s>]/.test(xml)) {
    throw new Error(`the poll service answered ${response.status}: ${xml.slice(0, 400)}`);
  }
  const count = /<(?:[\w.-]+:)?Record_Count[^>]*>\s*(\d+)\s*</.exec(xml)?.[1];
  const resultId = rootAttribute(xml, 'result_id');
  return {
    blocks: xml.match(/<(?:[\w.-]+:)?Content_Block[\s>]/g)?.length ?? 0,
    more: rootAttribute(xml, 'more') === 'true',
    ...(resultId === undefined ? {} : { resultId }),
    ...(count === undefined ? {} : { count: Number(count) }),
  };
}

function percentiles(values: number[]): LatencyFigures {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number));
  return { p50: at(50), p99: at(99) };
}

export async function runTaxii11PollBench(options: Taxii11PollBenchOptions, print: (line: string) => void): Promise<Taxii11PollBenchResult> {
  const count = (n: number) => n.toLocaleString('en-US');
  let held = (await send(options, pollRequest(options.collectionName, 'COUNT_ONLY'))).count ?? 0;
  if (held < options.objects) {
    if (options.seed === undefined) throw new Error(`${options.collectionName} holds ${count(held)} records for ${options.username}, fewer than ${count(options.objects)}, and no seed was given`);
    print(`    loading ${count(options.objects - held)} objects into ${options.collectionName}`);
    await options.seed(options.url, held, options.objects - held);
    held = (await send(options, pollRequest(options.collectionName, 'COUNT_ONLY'))).count ?? 0;
  }

  const firstParts: number[] = [];
  const laterParts: number[] = [];
  let blocks = 0;
  let polls = 0;
  let records = 0;
  let partsPerPoll = 0;
  const deadline = performance.now() + options.seconds * 1000;

  const client = async () => {
    while (performance.now() < deadline) {
      let started = performance.now();
      const first = await send(options, pollRequest(options.collectionName, 'FULL'));
      firstParts.push(performance.now() - started);
      blocks += first.blocks;
      records = first.count ?? records;
      let parts = 1;
      const resultId = first.resultId;
      if (first.more && resultId === undefined) throw new Error('a Poll_Response with more="true" has no result_id');
      for (let part = 2, answer = first; answer.more; part++) {
        started = performance.now();
        answer = await send(options, pollFulfillment(options.collectionName, resultId as string, part));
        laterParts.push(performance.now() - started);
        blocks += answer.blocks;
        parts = part;
      }
      partsPerPoll = parts;
      polls++;
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: options.clients ?? 1 }, () => client()));
  const seconds = (performance.now() - started) / 1000;
  const blocksPerSecond = blocks / seconds;
  const result: Taxii11PollBenchResult = {
    records,
    partsPerPoll,
    polls,
    blocks,
    seconds,
    blocksPerSecond,
    firstPart: percentiles(firstParts),
    laterParts: percentiles(laterParts),
    meetsTarget: blocksPerSecond >= TAXII11_POLL_TARGET_BLOCKS_PER_SECOND,
  };
  print(
    `    TAXII 1.1 poll, ${count(held)} records in ${options.collectionName} for ${options.username}, ${partsPerPoll} parts per poll, ${options.clients ?? 1} client(s): ` +
      `${count(Math.round(blocksPerSecond))} blocks/s (target >= ${count(TAXII11_POLL_TARGET_BLOCKS_PER_SECOND)}: ${result.meetsTarget ? 'met' : 'NOT met'}); ` +
      `part 1 p50 ${result.firstPart.p50.toFixed(0)} ms p99 ${result.firstPart.p99.toFixed(0)} ms; later parts p50 ${result.laterParts.p50.toFixed(0)} ms p99 ${result.laterParts.p99.toFixed(0)} ms`,
  );
  return result;
}
