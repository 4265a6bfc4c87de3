import type { NewAuditEntry } from '../../../../src/storage/tenancy-store';
import type { ContractContext } from './contract-context';
import { freshSlug } from './tenancy-fixtures';

function anEntry(overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    actor: freshSlug('actor'),
    action: 'organization.update',
    entityType: 'organization',
    entityId: freshSlug('org'),
    before: { name: 'Old', tags: ['a'] },
    after: { name: 'New', tags: ['a', 'b'], nested: { n: 1, ok: true } },
    ...overrides,
  };
}

export function auditContract(ctx: ContractContext): void {
  describe('audit trail', () => {
    test('append returns the stored entry with its id and time, and it reads back unchanged', async () => {
      const store = ctx.store();
      const entry = anEntry();
      const stored = await store.audit.append(entry);
      expect(stored).toEqual({ ...entry, id: expect.any(Number), at: expect.any(Date) });
      expect(await store.audit.list({ actor: entry.actor, limit: 10 })).toEqual([stored]);

      const creation = await store.audit.append(anEntry({ action: 'organization.create', before: null, after: 'plain' }));
      expect(creation.id).toBeGreaterThan(stored.id);
      expect(await store.audit.list({ actor: creation.actor, limit: 10 })).toEqual([{ ...creation, before: null, after: 'plain' }]);
    });

    test('entries filter by entity type, entity id and actor, oldest first', async () => {
      const store = ctx.store();
      const actor = freshSlug('operator');
      const orgId = freshSlug('org');
      const onOrg1 = await store.audit.append(anEntry({ actor, entityType: 'organization', entityId: orgId }));
      const onUser = await store.audit.append(anEntry({ actor, entityType: 'user', entityId: orgId }));
      const onOrg2 = await store.audit.append(anEntry({ actor, entityType: 'organization', entityId: orgId, action: 'organization.delete' }));
      const byOther = await store.audit.append(anEntry({ entityType: 'organization', entityId: orgId }));

      expect(await store.audit.list({ actor, limit: 10 })).toEqual([onOrg1, onUser, onOrg2]);
      expect(await store.audit.list({ entityType: 'organization', entityId: orgId, limit: 10 })).toEqual([onOrg1, onOrg2, byOther]);
      expect(await store.audit.list({ actor, entityType: 'user', limit: 10 })).toEqual([onUser]);
      expect(await store.audit.list({ entityId: orgId, limit: 0 })).toEqual([]);
    });

    test('keyset paging with afterId walks every entry exactly once', async () => {
      const store = ctx.store();
      const actor = freshSlug('pager');
      const appended = [];
      for (let i = 0; i < 5; i++) appended.push(await store.audit.append(anEntry({ actor, entityId: `e${i}` })));

      const pages = [];
      let afterId: number | undefined;
      for (;;) {
        const page = await store.audit.list({ actor, limit: 2, ...(afterId === undefined ? {} : { afterId }) });
        if (page.length === 0) break;
        pages.push(page.map((e) => e.entityId));
        afterId = page[page.length - 1]!.id;
      }
      expect(pages).toEqual([['e0', 'e1'], ['e2', 'e3'], ['e4']]);
      expect(await store.audit.list({ actor, afterId: appended[2]!.id, limit: 10 })).toEqual(appended.slice(3));
    });

    test.each([
      ['UPDATE', "UPDATE audit_log SET actor = 'forger' WHERE id = $1"],
      ['DELETE', 'DELETE FROM audit_log WHERE id = $1'],
    ])('the audit log is append-only: %s is refused', async (_verb, sql) => {
      const store = ctx.store();
      const stored = await store.audit.append(anEntry());
      await expect(ctx.db().query(sql, [stored.id])).rejects.toThrow('audit_log is append-only');
      expect(await store.audit.list({ actor: stored.actor, limit: 10 })).toEqual([stored]);
    });

    test('the audit log is append-only: TRUNCATE is refused', async () => {
      const store = ctx.store();
      const stored = await store.audit.append(anEntry());
      await expect(ctx.db().query('TRUNCATE audit_log')).rejects.toThrow('audit_log is append-only');
      expect(await store.audit.list({ actor: stored.actor, limit: 10 })).toEqual([stored]);
    });
  });
}
