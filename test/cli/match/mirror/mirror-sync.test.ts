import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadMirror, syncMirror, type SyncSummary } from '../../../../src/cli/match/mirror';
import type { SyncHooks, SyncOptions } from '../../../../src/cli/match/mirror/mirror-sync';
import type { MatchHit, MatchIndex } from '../../../../src/domain/matching/match-types';
import { nowMicros } from '../../../../src/domain/timestamps';
import { demoAuth } from '../../../http/support/demo-config-hub';
import { ACME, startStreamTestHub, type StreamTestHub } from '../../../http/hub-api/stream-test-hub';
import { testEngines } from '../../../support/test-databases';

/**
 * The mirror `taxii-hub match` keeps (issue 14), against a real hub on loopback: alice (ACME head
 * office) mirrors acme-internal; what the hub stops giving her (revoked, benign, deleted, no longer
 * readable) stops matching after the next sync, and an interrupted sync ends with exactly the hub's set.
 */

const hitsOf = (index: MatchIndex, ip: string): MatchHit[] => {
  const hits: MatchHit[] = [];
  index.lookup('ip', 'client-ip', ip, nowMicros(), (hit) => hits.push(hit));
  return hits;
};

describe.each(testEngines())('the match mirror on %s', (engine) => {
  let hub: StreamTestHub;
  const dirs: string[] = [];
  beforeAll(async () => {
    hub = await startStreamTestHub(engine);
    // The operator manages the ACME group through the admin API (the demo configuration hands it over).
    const group = await hub.store.trustGroups.get('acme-tree');
    if (group === undefined) throw new Error('the demo configuration has no acme-tree');
    await hub.store.trustGroups.update({ ...group, managedBy: 'admin' });
  });
  afterAll(async () => {
    await hub.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const newDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mirror-'));
    dirs.push(dir);
    return dir;
  };
  const sync = (dir: string, options: Partial<SyncOptions> = {}, hooks: SyncHooks = {}): Promise<SyncSummary> =>
    syncMirror({ dir, url: hub.url, authorization: demoAuth('alice'), collections: ['acme-internal'], ...options }, undefined, { pageSize: 2, ...hooks });
  const call = async (username: string, method: string, target: string, body?: unknown) => {
    const response = await fetch(`${hub.url}${target}`, {
      method,
      headers: { Authorization: demoAuth(username), Accept: target.startsWith('/api') ? 'application/json' : 'application/taxii+json;version=2.1', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  const setTree = (tree: Record<string, string[]>) => call('operator', 'PATCH', '/admin/api/trust-groups/acme-tree', { tree });
  /** The active indicators the hub gives alice in acme-internal, by id. */
  const hubActive = async (): Promise<Set<string>> => {
    const ids = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const page = (await call('alice', 'GET', `/api/collections/${ACME}/indicators?state=active&limit=1000${after !== undefined ? `&after=${after}` : ''}`)) as { indicators: { id: string }[]; next_after?: string };
      for (const i of page.indicators) ids.add(i.id);
      if (page.next_after === undefined) return ids;
      after = page.next_after;
    }
  };

  test('a first sync mirrors what alice reads, an incremental one adds what came since; hits say collection, TLP and provider', async () => {
    const dir = await newDir();
    await expect(loadMirror(dir)).rejects.toThrow(/no mirror in .* yet/);
    const a = await hub.submit('alice', '198.51.100.1', { tlp: 'green' });
    const b = await hub.submit('alice', '198.51.100.2', { tlp: 'green' });
    const c = await hub.submit('bob', '198.51.100.3'); // acme-east's, AMBER: the head office reads it
    const first = await sync(dir);
    expect(first.collections).toEqual([expect.objectContaining({ id: ACME, full: true, changeFeed: true })]);
    expect(first.notices).toEqual([]);
    let mirror = await loadMirror(dir);
    expect(mirror.collections).toEqual([expect.objectContaining({ id: ACME, alias: 'acme-internal', syncedAt: expect.stringMatching(/Z$/) })]);
    expect(hitsOf(mirror.index, '198.51.100.1').map((h) => h.entry.indicatorId)).toEqual([a]);
    expect(hitsOf(mirror.index, '198.51.100.2').map((h) => h.entry.indicatorId)).toEqual([b]);
    expect(hitsOf(mirror.index, '198.51.100.3')[0]?.entry).toMatchObject({ indicatorId: c, collection: ACME, tlp: 'amber', provider: 'ACME East' });
    expect(hitsOf(mirror.index, '198.51.100.1')[0]?.entry).toMatchObject({ tlp: 'green', provider: 'ACME Holdings', kind: 'c2-ip' });

    const d = await hub.submit('alice', '198.51.100.4', { tlp: 'green' });
    const second = await sync(dir);
    expect(second.collections[0]).toMatchObject({ full: false });
    mirror = await loadMirror(dir);
    expect(hitsOf(mirror.index, '198.51.100.4').map((h) => h.entry.indicatorId)).toEqual([d]);
    expect(mirror.indicators).toBe((await hubActive()).size);
  });

  test('revoked, benign, deleted (TAXII 2.1 DELETE) and no longer readable indicators stop matching after the next sync; readable again, it matches again', async () => {
    const dir = await newDir();
    const revoked = await hub.submit('alice', '198.51.100.11', { tlp: 'green' });
    const benign = await hub.submit('alice', '198.51.100.12', { tlp: 'green' });
    const deleted = await hub.submit('alice', '198.51.100.13', { tlp: 'green' });
    const east = await hub.submit('bob', '198.51.100.14'); // AMBER, acme-east's
    const kept = await hub.submit('alice', '198.51.100.15', { tlp: 'green' });
    await sync(dir);
    let mirror = await loadMirror(dir);
    for (const ip of ['198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14', '198.51.100.15']) expect(hitsOf(mirror.index, ip)).toHaveLength(1);

    await call('alice', 'POST', `/api/collections/${ACME}/indicators/${revoked}/revoke`, { reason: 'withdrawn' });
    await call('alice', 'POST', `/api/collections/${ACME}/indicators/${benign}/benign`, { reason: 'a cleaned site' });
    await call('alice', 'DELETE', `/demo/collections/${ACME}/objects/${deleted}/`);
    await setTree({ 'acme-hq': ['acme-west'] }); // acme-east leaves the group: alice no longer reads its AMBER
    try {
      const summary = await sync(dir);
      expect(summary.collections[0]?.removed).toBeGreaterThanOrEqual(4);
      mirror = await loadMirror(dir);
      for (const ip of ['198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14']) expect(hitsOf(mirror.index, ip)).toEqual([]);
      expect(hitsOf(mirror.index, '198.51.100.15').map((h) => h.entry.indicatorId)).toEqual([kept]);
      expect(mirror.indicators).toBe((await hubActive()).size);
    } finally {
      await setTree({ 'acme-hq': ['acme-east', 'acme-west'] });
    }
    await sync(dir); // access-gained: the old object comes back although TAXII would never send it again
    mirror = await loadMirror(dir);
    expect(hitsOf(mirror.index, '198.51.100.14').map((h) => h.entry.indicatorId)).toEqual([east]);
    expect(mirror.indicators).toBe((await hubActive()).size);
  });

  test('a sync that crashes mid-way (and leaves half a batch) is resumed by the next: exactly the hub\'s set, nothing missed, nothing doubled', async () => {
    const dir = await newDir();
    const ips = Array.from({ length: 9 }, (_, i) => `203.0.113.${i + 1}`);
    for (const ip of ips.slice(0, 5)) await hub.submit('alice', ip, { tlp: 'green' });
    await expect(sync(dir, {}, { beforeBatch: (n) => { if (n === 3) throw new Error('crash'); } })).rejects.toThrow('crash');
    const files = await readdir(dir);
    const journal = files.find((f) => f.startsWith('journal-'));
    if (journal === undefined) throw new Error(`no journal in ${files.join(', ')}`);
    await appendFile(path.join(dir, journal), '["i","half a line'); // what a kill during a write leaves
    expect((await loadMirror(dir)).indicators).toBeLessThan(5); // the committed part loads; the torn line is left out
    await sync(dir);
    let mirror = await loadMirror(dir);
    for (const ip of ips.slice(0, 5)) expect(hitsOf(mirror.index, ip)).toHaveLength(1);

    // An incremental sync interrupted: more indicators, one deleted, then a crash after the first page.
    for (const ip of ips.slice(5)) await hub.submit('alice', ip, { tlp: 'green' });
    const gone = hitsOf(mirror.index, ips[0] as string)[0]?.entry.indicatorId ?? '';
    await call('alice', 'DELETE', `/demo/collections/${ACME}/objects/${gone}/`);
    await expect(sync(dir, {}, { beforeBatch: (n) => { if (n === 2) throw new Error('crash again'); } })).rejects.toThrow('crash again');
    await sync(dir);
    mirror = await loadMirror(dir);
    expect(hitsOf(mirror.index, ips[0] as string)).toEqual([]);
    for (const ip of ips.slice(1)) expect(hitsOf(mirror.index, ip)).toHaveLength(1);
    const active = await hubActive();
    expect(mirror.indicators).toBe(active.size);
    // Compacted again from scratch, the same set.
    await sync(dir, { full: true });
    expect((await loadMirror(dir)).indicators).toBe(active.size);
  });

  test('a change-feed cursor the hub no longer accepts: the sync says so, and the next one reads the collection again in full', async () => {
    const dir = await newDir();
    const deleted = await hub.submit('alice', '198.51.100.70', { tlp: 'green' });
    await hub.submit('alice', '198.51.100.71', { tlp: 'green' });
    await sync(dir);
    // The collection's state as the mirror holds it, with a cursor this hub never issued (a
    // database restored elsewhere): appended as a committed batch, as a sync would write it.
    const { generation, collections } = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as { generation: number; collections: Record<string, Record<string, unknown>> };
    const journalFile = path.join(dir, `journal-${generation}.jsonl`);
    const commits = (await readFile(journalFile, 'utf8').catch(() => '')).split('\n').filter((l) => l.startsWith('["k"'));
    const current = commits.length > 0 ? (JSON.parse(commits.at(-1) as string) as [string, string, Record<string, unknown>])[2] : collections[ACME];
    await appendFile(journalFile, `${JSON.stringify(['k', ACME, { ...current, changeCursor: '1.abc.AAAAAAAAAAAAAAAAAAAAAA' }])}\n`);
    await call('alice', 'DELETE', `/demo/collections/${ACME}/objects/${deleted}/`);

    const refused = await sync(dir);
    expect(refused.notices).toEqual([expect.stringMatching(/no longer accepts the mirror's change-feed cursor of acme-internal: the next sync reads that collection again in full/)]);
    expect(hitsOf((await loadMirror(dir)).index, '198.51.100.70')).toHaveLength(1); // not known yet
    const again = await sync(dir);
    expect([again.collections[0]?.full, again.notices]).toEqual([true, []]);
    const mirror = await loadMirror(dir);
    expect(hitsOf(mirror.index, '198.51.100.70')).toEqual([]);
    expect(hitsOf(mirror.index, '198.51.100.71')).toHaveLength(1);
    expect(mirror.indicators).toBe((await hubActive()).size);
  });

  test('a second sync while one runs fails clearly; a lock left by a process that is gone is taken over', async () => {
    const dir = await newDir();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = sync(dir, {}, { beforeBatch: async (n) => { if (n === 1) { entered(); await held; } } });
    await inside;
    await expect(sync(dir)).rejects.toThrow(/Another sync of the mirror in .* is running \(process \d+\)/);
    release();
    await first;

    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid ?? 0;
    await new Promise((resolve) => child.on('exit', resolve));
    await writeFile(path.join(dir, 'lock'), String(pid));
    await expect(sync(dir)).resolves.toMatchObject({ collections: [expect.objectContaining({ id: ACME })] });
  });

  test('every readable collection is mirrored when none is named, and one no longer readable leaves; an unreadable one is refused; a mirror is of one hub', async () => {
    const dir = await newDir();
    await hub.submit('alice', '198.51.100.90', { tlp: 'green' });
    const summary = await syncMirror({ dir, url: hub.url, authorization: demoAuth('carol') });
    expect(summary.collections.map((c) => c.id)).toEqual([ACME]); // acme-west reads acme-internal only
    expect(hitsOf((await loadMirror(dir)).index, '198.51.100.90')).toHaveLength(1);
    // The same hub written with a trailing slash is the same mirror (an incremental sync).
    await expect(syncMirror({ dir, url: `${hub.url}/`, authorization: demoAuth('carol') })).resolves.toMatchObject({ collections: [expect.objectContaining({ id: ACME, full: false })] });
    // acme-west leaves the ACME group: the collection is no longer carol's to read, and leaves her mirror.
    await setTree({ 'acme-hq': ['acme-east'] });
    try {
      const gone = await syncMirror({ dir, url: hub.url, authorization: demoAuth('carol') });
      expect(gone.notices).toEqual([expect.stringMatching(/acme-internal .* is no longer readable with these credentials: its \d+ indicators left the mirror/)]);
      const mirror = await loadMirror(dir);
      expect([mirror.indicators, mirror.collections]).toEqual([0, []]);
    } finally {
      await setTree({ 'acme-hq': ['acme-east', 'acme-west'] });
    }
    await expect(syncMirror({ dir, url: hub.url, authorization: demoAuth('carol'), collections: ['initech-feed'] })).rejects.toThrow(/No collection "initech-feed" these credentials can read/);
    // Another hub is refused.
    await expect(syncMirror({ dir, url: 'http://127.0.0.1:9', authorization: demoAuth('carol') })).rejects.toThrow(/holds the mirror of http:\/\/127\.0\.0\.1:\d+, not of http:\/\/127\.0\.0\.1:9/);
  });

  test('a TAXII 2.1 server without the change feed: incremental syncs say once that removals need a full sync, which drops them', async () => {
    // The hub behind a proxy that knows no hub API: a TAXII 2.1 server like any other.
    const proxy = http.createServer((req, res) => {
      if ((req.url ?? '').startsWith('/api/')) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      const target = new URL(req.url ?? '/', hub.url);
      const forward = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const dir = await newDir();
      const id = await hub.submit('alice', '192.0.2.201', { tlp: 'green' });
      const first = await sync(dir, { url });
      expect(first.collections[0]).toMatchObject({ changeFeed: false });
      expect(hitsOf((await loadMirror(dir)).index, '192.0.2.201')).toHaveLength(1);
      await call('alice', 'DELETE', `/demo/collections/${ACME}/objects/${id}/`);
      const incremental = await sync(dir, { url });
      expect(incremental.notices).toEqual([expect.stringMatching(/no change feed .* only with a full sync/)]);
      expect(hitsOf((await loadMirror(dir)).index, '192.0.2.201')).toHaveLength(1); // TAXII 2.1 cannot say it was deleted
      const full = await sync(dir, { url, full: true });
      expect(full.notices).toEqual([]);
      const mirror = await loadMirror(dir);
      expect(hitsOf(mirror.index, '192.0.2.201')).toEqual([]);
      expect(mirror.indicators).toBe((await hubActive()).size);
    } finally {
      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      });
    }
  });
});
