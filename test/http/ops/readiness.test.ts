import request from 'supertest';
import { startTestHub } from '../support/test-hub';

describe('when the database is gone', () => {
  test('/readyz answers 503, requests fail with 503 DATABASE_UNAVAILABLE, and /healthz stays up', async () => {
    const hub = await startTestHub();
    await hub.close();

    const ready = await request(hub.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable' });

    const health = await request(hub.app).get('/healthz');
    expect(health.status).toBe(200);

    // The credential lookup is the first thing that needs the database.
    const taxii = await request(hub.app).get('/taxii2/').set('Authorization', hub.basicAuth);
    expect(taxii.status).toBe(503);
    expect(taxii.headers['retry-after']).toBe('5');
    expect(taxii.headers['content-type']).toBe('application/taxii+json;version=2.1');
    expect(JSON.parse(taxii.text)).toMatchObject({ error_code: 'DATABASE_UNAVAILABLE', http_status: '503' });

    const admin = await request(hub.app).get('/admin/api/organizations').set('Authorization', hub.basicAuth);
    expect(admin.status).toBe(503);
    expect(admin.body.error.code).toBe('DATABASE_UNAVAILABLE');

    const metrics = await request(hub.app).get('/metrics');
    expect(metrics.text).toMatch(/^database_errors_total [1-9]\d*$/m);
  });
});
