import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatTaxiiTimestamp } from '../../../../src/domain/taxii11/taxii-timestamps';
import { receiverWatchers } from './receiver-watchers';

/**
 * A subscriber's TAXII 1.1 inbox on 127.0.0.1: records every push (subscription id, the labels of its
 * blocks, its Record_Count) and answers as `respond` says. Tests wait on conditions over what it
 * received (events, never sleeps).
 */

export type ReceiverAnswer = 'success' | 'http-500' | 'status-failure' | 'not-taxii' | 'hang';

export interface Push {
  readonly subscriptionId: string;
  readonly labels: readonly string[];
  readonly recordCount: number;
  readonly exclusiveBegin: string | undefined;
  readonly inclusiveEnd: string | undefined;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly answer: ReceiverAnswer;
}

export interface LoopbackReceiver {
  readonly url: string;
  readonly pushes: Push[];
  /** Pushes answered with success. */
  accepted(subscriptionId?: string): Push[];
  /** Resolves once `condition` holds over the pushes (checked on every push), or rejects after `timeoutMs`. */
  until(condition: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** Deliveries being answered right now, per subscription, and the most seen at once. */
  readonly concurrency: { readonly current: Map<string, number>; maxPerSubscription: number };
  close(): Promise<void>;
}

const text = (body: string, local: string): string[] => [...body.matchAll(new RegExp(`<[\\w]+:${local}[^>]*>([^<]*)</[\\w]+:${local}>`, 'g'))].map((m) => m[1] ?? '');

export async function startReceiver(respond: (push: Omit<Push, 'answer'>, index: number) => ReceiverAnswer | Promise<ReceiverAnswer> = () => 'success'): Promise<LoopbackReceiver> {
  const pushes: Push[] = [];
  const watchers = receiverWatchers();
  const concurrency = { current: new Map<string, number>(), maxPerSubscription: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const subscriptionId = text(body, 'Subscription_ID')[0] ?? '';
        const current = (concurrency.current.get(subscriptionId) ?? 0) + 1;
        concurrency.current.set(subscriptionId, current);
        concurrency.maxPerSubscription = Math.max(concurrency.maxPerSubscription, current);
        const seen = {
          subscriptionId,
          labels: text(body, 'Timestamp_Label'),
          recordCount: Number(text(body, 'Record_Count')[0] ?? NaN),
          exclusiveBegin: text(body, 'Exclusive_Begin_Timestamp')[0],
          inclusiveEnd: text(body, 'Inclusive_End_Timestamp')[0],
          headers: req.headers,
          body,
        };
        const answer = await respond(seen, pushes.length);
        concurrency.current.set(subscriptionId, (concurrency.current.get(subscriptionId) ?? 1) - 1);
        pushes.push({ ...seen, answer });
        if (answer !== 'hang') reply(res, answer);
        watchers.notify();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/inbox`,
    pushes,
    concurrency,
    accepted: (id) => pushes.filter((p) => p.answer === 'success' && (id === undefined || p.subscriptionId === id)),
    until: (condition, timeoutMs = 10_000, what = 'the receiver to see what the test waits for') => watchers.until(condition, timeoutMs, what, () => `${pushes.length} pushes`),
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: http.ServerResponse, answer: Exclude<ReceiverAnswer, 'hang'>): void {
  if (answer === 'http-500') {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('inbox broken');
    return;
  }
  if (answer === 'not-taxii') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>hello</body></html>');
    return;
  }
  const status = answer === 'success' ? 'SUCCESS' : 'FAILURE';
  res.writeHead(200, { 'content-type': 'application/xml', 'x-taxii-content-type': 'urn:taxii.mitre.org:message:xml:1.1' });
  res.end(
    `<taxii_11:Status_Message xmlns:taxii_11="http://taxii.mitre.org/messages/taxii_xml_binding-1.1" message_id="r1" in_response_to="x" status_type="${status}">` +
      (status === 'FAILURE' ? '<taxii_11:Message>disk full</taxii_11:Message>' : '') +
      '</taxii_11:Status_Message>',
  );
}

/** A label as a push writes it. */
export const labelText = (label: number): string => formatTaxiiTimestamp(label);
