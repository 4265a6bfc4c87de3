import { validateHubConfig } from '../../../src/config/validate-hub-config';
import { reconcileConfig } from '../../../src/services/config-reconciler';
import { createSqlTenancyStore } from '../../../src/storage/sql/sql-tenancy-store';
import { validConfig } from '../../config/valid-config';
import { openTestDatabase } from '../../support/test-databases';

describe("an organization's delivery allow-list in the hub config", () => {
  test('entries are host names, *.domain wildcards and CIDRs; anything else is reported with its path', () => {
    const raw = validConfig();
    raw.organizations[0] = { ...raw.organizations[0], delivery_allow_list: ['inbox.acme.example', '*.acme.example', '198.51.100.0/24', 'https://inbox.acme.example', '10.0.0.0/40'] };
    const result = validateHubConfig(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.path, e.message])).toEqual([
      ['organizations[0].delivery_allow_list[3]', expect.stringContaining("'https://inbox.acme.example' is neither a host name")],
      ['organizations[0].delivery_allow_list[4]', "'10.0.0.0/40' is not a valid IP address or CIDR"],
    ]);
  });

  test('the reconciler stores it, changes it, and clears it when the config drops it', async () => {
    const db = await openTestDatabase('pglite');
    try {
      const store = createSqlTenancyStore(db);
      const raw = validConfig();
      raw.organizations[0] = { ...raw.organizations[0], delivery_allow_list: ['inbox.acme.example', '198.51.100.0/24'] };
      const apply = async () => {
        const result = validateHubConfig(raw);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        return reconcileConfig(store, result.config, { env: { ALICE_PW: 'x', BOB_PW: 'x' } });
      };
      await apply();
      expect((await store.organizations.get('acme-hq'))?.deliveryAllowList).toEqual(['inbox.acme.example', '198.51.100.0/24']);
      expect((await apply()).counts.organizations.updated).toBe(0);

      raw.organizations[0] = { id: 'acme-hq', name: 'ACME Holdings' };
      expect((await apply()).counts.organizations.updated).toBe(1);
      expect((await store.organizations.get('acme-hq'))?.deliveryAllowList).toBeUndefined();
    } finally {
      await db.close();
    }
  });
});
