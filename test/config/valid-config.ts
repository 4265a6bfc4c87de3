/**
 * A small valid configuration exercising every topology; each test changes one thing in a fresh copy.
 * The password hash is a real Argon2id hash of "alice-pw" (computed once, so tests need not hash).
 */
export const ALICE_PASSWORD = 'alice-pw';
export const ALICE_HASH = '$argon2id$v=19$m=19456,t=2,p=1$TOYj1GWLwBHnyGCpQNIWLQ$ZkW9P/y2oiY5Wss6uWrXXkShl7PCFflBfm9u3/egeiU';

export interface RawConfig {
  hub?: Record<string, unknown>;
  api_roots: Record<string, unknown>[];
  organizations: Record<string, unknown>[];
  users: Record<string, unknown>[];
  trust_groups: Record<string, unknown>[];
  collections: Record<string, unknown>[];
  [key: string]: unknown;
}

export function validConfig(): RawConfig {
  return {
    hub: { title: 'Test hub', contact: 'ops@example.org' },
    api_roots: [{ id: 'demo', title: 'Demo' }],
    organizations: [
      { id: 'acme-hq', name: 'ACME Holdings' },
      { id: 'acme-east', name: 'ACME East', parent: 'acme-hq' },
      { id: 'acme-west', name: 'ACME West', parent: 'acme-hq' },
      { id: 'globex-hq', name: 'Globex' },
      { id: 'globex-lab', name: 'Globex Lab', parent: 'globex-hq' },
      { id: 'initech', name: 'Initech' },
    ],
    users: [
      { username: 'alice', organization: 'acme-hq', roles: ['provider', 'consumer', 'org-admin'], password_hash: ALICE_HASH },
      { username: 'bob', organization: 'acme-east', roles: ['consumer'] },
    ],
    trust_groups: [
      { id: 'isac', name: 'ISAC', topology: 'horizontal', members: ['acme-hq', 'globex-hq', 'initech'] },
      { id: 'acme-tree', name: 'ACME', topology: 'vertical', tree: { 'acme-hq': ['acme-east', 'acme-west'] } },
      {
        id: 'alliance',
        name: 'Alliance',
        topology: 'hybrid',
        tree: { 'acme-hq': ['acme-east'], 'globex-hq': ['globex-lab'] },
        peer_links: [{ between: ['acme-hq', 'globex-hq'], pass_down: false }],
      },
    ],
    collections: [
      { id: '2f0b1c4e-7a3d-4e5f-9a1b-3c4d5e6f7a8b', api_root: 'demo', alias: 'isac-feed', title: 'ISAC feed', owner: { trust_group: 'isac' }, default_marking: 'green' },
      { id: '8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f', api_root: 'demo', alias: 'initech-own', title: 'Initech', owner: { organization: 'initech' }, default_marking: 'amber' },
    ],
  };
}
