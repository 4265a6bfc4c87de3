import type { Express } from 'express';
import request from 'supertest';
import { createLogger } from '../../../src/http/ops/logging';
import { createMetrics } from '../../../src/http/ops/metrics';
import { composeHub, type ComposedHub } from '../../../src/hub-composition';
import type { Database, EngineName } from '../../../src/storage/sql/database';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { applyDemoConfig } from '../../support/demo-config';
import { openTestDatabase } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';

/** The real hub over the demo configuration, composed as `serve` composes it, with its feed service and change feed at hand. */
export interface FeedsHub {
  readonly app: Express;
  readonly db: Database;
  readonly composed: ComposedHub;
  /** GET a feed as a demo user. */
  feed(username: string, collection: string, format: string, query?: string, headers?: Record<string, string>): request.Test;
  /** Submits indicators (200 expected) and returns their ids in order. */
  submit(username: string, body: Record<string, unknown>): Promise<string[]>;
  close(): Promise<void>;
}

export async function startFeedsHub(engine: EngineName): Promise<FeedsHub> {
  const db = await openTestDatabase(engine);
  const store = createSqlTenancyStore(db);
  const config = await applyDemoConfig(store);
  const composed = composeHub({ db, store, hub: config.hub, settings: { bodyLimitBytes: 64 * 1024, trustProxy: false }, logger: createLogger('silent'), metrics: createMetrics() });
  const { app } = composed;
  return {
    app,
    db,
    composed,
    feed(username, collection, format, query = '', headers = {}) {
      const req = request(app).get(`/api/collections/${collection}/feeds/${format}${query}`).set('Authorization', demoAuth(username));
      for (const [name, value] of Object.entries(headers)) req.set(name, value);
      return req;
    },
    async submit(username, body) {
      const res = await request(app).post('/api/submissions').set('Authorization', demoAuth(username)).set('Content-Type', 'application/json').send(JSON.stringify(body));
      if (res.status !== 200) throw new Error(`submission answered ${res.status}: ${res.text}`);
      return (res.body as { indicators: { id: string }[] }).indicators.map((i) => i.id);
    },
    close: async () => {
      await composed.streams.close();
      await db.close();
    },
  };
}

/** The rows of a CSV feed as objects (header line first; no quoted commas in what the tests submit). */
export function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.split('\r\n').filter((l) => l !== '');
  const names = (header ?? '').split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i] ?? `${i}`, v.replace(/^"|"$/g, '')])));
}
