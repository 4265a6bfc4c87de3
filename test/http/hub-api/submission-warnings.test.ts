import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import request from 'supertest';
import { HUB_EXTENSION_ID } from '../../../src/domain/hub-extension';
import { isIntentional } from '../../../src/domain/warning-lists';
import { createStixValidator } from '../../../src/validation/stix-validator';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth, startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { get, json, objectsOf } from '../taxii21/objects-fixture';

const ACME = DEMO_COLLECTIONS.acmeInternal;
const TAXII_COLLECTION = `/demo/collections/${ACME}`;
const base = { collection: ACME, valid_from: '2026-11-01T00:00:00Z' };

interface ItemJson {
  index: number;
  outcome: string;
  id?: string;
  value?: string;
  warnings?: { list: string; reason: string }[];
  problems?: { path: string; message: string }[];
}

const extensionSchema = JSON.parse(readFileSync(path.resolve(__dirname, '../../../schemas/hub-extension.schema.json'), 'utf8')) as object;
const validateExtension = new Ajv({ strict: true }).compile(extensionSchema);
const validateStix = createStixValidator();

describe.each(testEngines())('warning lists at submission on %s', (engine) => {
  let hub: DemoConfigHub;
  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
  });
  afterAll(() => hub.close());

  const submit = async (body: unknown): Promise<ItemJson[]> => {
    const res = await request(hub.app).post('/api/submissions').set('Content-Type', 'application/json').set('Authorization', demoAuth('bob')).send(JSON.stringify(body));
    expect(res.status).toBe(200);
    return json(res).indicators as ItemJson[];
  };
  const read = async (id: string | undefined) => {
    const objects = objectsOf(await get(hub.app, `${TAXII_COLLECTION}/objects/${id}/`, 'alice'));
    expect(objects).toHaveLength(1);
    return objects[0] as Record<string, unknown>;
  };
  const extensionOf = (object: Record<string, unknown>) => (object.extensions as Record<string, Record<string, unknown>>)[HUB_EXTENSION_ID] as Record<string, unknown>;

  test('a value on a warning list is stored all the same, and its outcome names the list and why', async () => {
    const [privateIp, resolver, popular, emptyHash, publicIp] = await submit({
      ...base,
      indicators: [
        { kind: 'c2-ip', value: '10.20.30.40' },
        { kind: 'c2-ip', value: '8.8.8.0/24' },
        { kind: 'c2-hostname', value: 'WWW.Google.com' },
        { kind: 'file-hash', algorithm: 'sha256', value: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' },
        { kind: 'c2-ip', value: '185.220.101.4' },
      ],
    });
    expect(privateIp).toMatchObject({ outcome: 'created', warnings: [{ list: 'special-use-addresses', reason: '10.20.30.40 is in 10.0.0.0/8, a private range (RFC 1918)' }] });
    expect(resolver).toMatchObject({ outcome: 'created', warnings: [{ list: 'public-resolvers', reason: '8.8.8.0/24 contains 8.8.8.8, Google Public DNS, a public resolver' }] });
    expect(popular).toMatchObject({ outcome: 'created', value: 'www.google.com', warnings: [{ list: 'popular-domains', reason: 'www.google.com is one of the most popular domains' }] });
    expect(emptyHash).toMatchObject({
      outcome: 'created',
      warnings: [{ list: 'empty-file-hashes', reason: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 is the SHA-256 of the empty file (zero bytes)' }],
    });
    expect(publicIp).toMatchObject({ outcome: 'created' });
    expect(publicIp).not.toHaveProperty('warnings');

    const stored = await read(privateIp?.id);
    expect(stored).toMatchObject({ type: 'indicator', pattern: "[ipv4-addr:value = '10.20.30.40']" });
    expect(isIntentional(stored)).toBe(false);
    expect(extensionOf(stored)).not.toHaveProperty('intentional');
  });

  test('a repeated submission of a warned value is unchanged and still warned', async () => {
    const doc = { ...base, indicators: [{ kind: 'c2-ip', value: '192.168.7.7' }] };
    const [first] = await submit(doc);
    const [again] = await submit(doc);
    expect(again).toEqual({ ...first, outcome: 'unchanged' });
    expect(again?.warnings).toEqual([{ list: 'special-use-addresses', reason: '192.168.7.7 is in 192.168.0.0/16, a private range (RFC 1918)' }]);
  });

  test('intentional: true is stored in the hub extension and read back; turning it off makes a new version without it', async () => {
    const [marked] = await submit({ ...base, indicators: [{ kind: 'c2-ip', value: '172.16.5.5', intentional: true }] });
    expect(marked).toMatchObject({ outcome: 'created', warnings: [{ list: 'special-use-addresses' }] });
    const stored = await read(marked?.id);
    expect(extensionOf(stored)).toMatchObject({ intentional: true, kind: 'c2-ip', state: 'active' });
    expect(isIntentional(stored)).toBe(true);
    expect(validateExtension(extensionOf(stored))).toBe(true);
    expect(validateStix(stored)).toEqual({ ok: true });

    const [same] = await submit({ ...base, indicators: [{ kind: 'c2-ip', value: '172.16.5.5', intentional: true }] });
    expect(same).toMatchObject({ outcome: 'unchanged', id: marked?.id });

    const [unmarked] = await submit({ ...base, indicators: [{ kind: 'c2-ip', value: '172.16.5.5' }] });
    expect(unmarked).toMatchObject({ outcome: 'updated', id: marked?.id });
    const latest = await read(unmarked?.id);
    expect(isIntentional(latest)).toBe(false);
    expect(extensionOf(latest)).not.toHaveProperty('intentional');
  });

  test("the submission's intentional is every item's default, and an item's own flag overrides it", async () => {
    const [byDefault, overridden] = await submit({
      ...base,
      intentional: true,
      indicators: [
        { kind: 'c2-hostname', value: 'intranet.home.arpa' },
        { kind: 'c2-hostname', value: 'printer.home.arpa', intentional: false },
      ],
    });
    expect(byDefault?.warnings?.[0]?.list).toBe('documentation-domains');
    expect(isIntentional(await read(byDefault?.id))).toBe(true);
    expect(isIntentional(await read(overridden?.id))).toBe(false);
  });

  test('an intentional that is not true or false rejects its item with the field named; the others are stored', async () => {
    const [bad, good] = await submit({ ...base, indicators: [{ kind: 'c2-ip', value: '10.9.9.9', intentional: 'yes' }, { kind: 'c2-ip', value: '10.9.9.10' }] });
    expect(bad).toMatchObject({ outcome: 'rejected', problems: [{ path: 'indicators[0].intentional', message: expect.stringContaining('boolean') }] });
    expect(good).toMatchObject({ outcome: 'created' });
  });
});
