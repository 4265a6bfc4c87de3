import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { receiverWatchers } from '../../support/receiver-watchers';

/**
 * A webhook receiver on 127.0.0.1, as a consumer would write one: it verifies X-Hub-Signature
 * (HMAC-SHA256 over "<t>.<body>" with any of its secrets, compared in constant time, the timestamp
 * within a tolerance), records every request, and answers as `respond` says. Tests wait on
 * conditions over what it received (never sleeps).
 */

export type Answer = 'ok' | 'http-500' | 'hang' | 'redirect';

export interface ReceivedEvent {
  readonly id: string;
  readonly operation: string;
  readonly object_id: string;
  readonly type: string;
  readonly position: number;
  readonly object?: Record<string, unknown>;
}

export interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly payload: { webhook: string; collection: string; events: ReceivedEvent[] };
  /** Which of the receiver's secrets verified the signature (none: undefined). */
  readonly verifiedWith: string | undefined;
  readonly answer: Answer;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: Received[];
  /** Requests answered 2xx. */
  accepted(): Received[];
  /** Events of accepted requests, in arrival order. */
  acceptedEvents(): ReceivedEvent[];
  /** The secrets the receiver verifies with (the test sets them once the hub showed them). */
  secrets: string[];
  until(condition: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

const TOLERANCE_SECONDS = 300;

/** The receiver's check: some v1 of the header is HMAC-SHA256(secret, "<t>.<body>") for one of `secrets`, t within the tolerance. */
export function verifySignature(header: string | undefined, body: string, secrets: readonly string[], nowSeconds = Math.floor(Date.now() / 1000)): string | undefined {
  if (header === undefined) return undefined;
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) return undefined;
  const given = parts.filter(([k, v]) => k === 'v1' && v !== undefined && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => Buffer.from(v as string, 'hex'));
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
    if (given.some((g) => g.length === expected.length && timingSafeEqual(g, expected))) return secret;
  }
  return undefined;
}

export async function startWebhookReceiver(respond: (request: Omit<Received, 'answer'>, index: number) => Answer = () => 'ok'): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const watchers = receiverWatchers();
  const receiver: WebhookReceiver = {
    url: '',
    received,
    secrets: [],
    accepted: () => received.filter((r) => r.answer === 'ok'),
    acceptedEvents: () => received.filter((r) => r.answer === 'ok').flatMap((r) => r.payload.events),
    until: (condition, timeoutMs = 15_000, what = 'what the test waits for') =>
      watchers.until(condition, timeoutMs, what, () => `${received.length} requests (${received.map((r) => r.answer).join(', ')})`),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['x-hub-signature'];
      const seen = { headers: req.headers, body, payload: JSON.parse(body) as Received['payload'], verifiedWith: verifySignature(typeof header === 'string' ? header : undefined, body, receiver.secrets) };
      const answer = respond(seen, received.length);
      received.push({ ...seen, answer });
      if (answer === 'ok') res.writeHead(204).end();
      else if (answer === 'http-500') res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver broken');
      else if (answer === 'redirect') res.writeHead(302, { location: 'http://127.0.0.1:9/' }).end();
      watchers.notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(receiver, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` });
  return receiver;
}
