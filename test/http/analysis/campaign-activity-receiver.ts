import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivered {
  readonly operation: string;
  readonly object_id: string;
  readonly type: string;
  readonly object?: Record<string, unknown>;
}

/** A webhook receiver that verifies every delivery's signature, as a consumer would. */
export async function startReceiver() {
  let secret = '';
  const events: Delivered[] = [];
  const refused: string[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parts = String(req.headers['x-hub-signature'] ?? '').split(',').map((p) => p.split('=') as [string, string]);
      const t = parts.find(([k]) => k === 't')?.[1] ?? '';
      const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
      if (!parts.some(([k, v]) => k === 'v1' && v.length === expected.length * 2 && timingSafeEqual(Buffer.from(v, 'hex'), expected))) {
        refused.push(body);
        res.writeHead(401).end();
        return;
      }
      events.push(...(JSON.parse(body) as { events: Delivered[] }).events);
      res.writeHead(204).end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    events,
    refused,
    setSecret: (s: string) => (secret = s),
    notices: () => events.filter((e) => e.operation === 'campaign-activity'),
    async until(predicate: () => boolean) {
      while (!predicate()) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
