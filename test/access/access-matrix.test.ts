import { collectionAccess, decide, type Action, type Decision, type DenialReason, type RuleName } from '../../src/access';
import type { Principal } from '../../src/domain/principal';
import type { TlpLevel } from '../../src/domain/tenancy';
import { compiled, consumer, hubInput, operator, principal, provider } from './fixture-hub';

/** The access matrix over the fixture hub (see fixture-hub.ts for the drawing). */
const policy = compiled(hubInput);

type Expected = RuleName | DenialReason;

function outcome(decision: Decision): Expected {
  return decision.allowed ? decision.rule : decision.reason;
}

interface ReadRow {
  spec: string;
  collection: string;
  marking: TlpLevel | undefined;
  provider: string;
  consumer: string;
  recipients?: string[];
  expected: Expected;
}

const readRows: ReadRow[] = [
  // horizontal
  { spec: 'a horizontal peer reads another peer’s AMBER indicator', collection: 'peers-feed', marking: 'amber', provider: 'h1', consumer: 'h2', expected: 'horizontal-peer' },
  { spec: 'a horizontal peer reads another peer’s AMBER+STRICT indicator', collection: 'peers-feed', marking: 'amber+strict', provider: 'h1', consumer: 'h3', expected: 'horizontal-peer' },
  { spec: 'a horizontal peer reads another peer’s GREEN indicator', collection: 'peers-feed', marking: 'green', provider: 'h1', consumer: 'h3', expected: 'tlp-green-group' },
  { spec: 'a horizontal peer reads another peer’s CLEAR indicator', collection: 'peers-feed', marking: 'clear', provider: 'h2', consumer: 'h1', expected: 'tlp-clear' },
  { spec: 'an unmarked indicator takes the collection’s default marking (AMBER)', collection: 'peers-feed', marking: undefined, provider: 'h1', consumer: 'h2', expected: 'horizontal-peer' },
  { spec: 'a provider reads its own RED indicator', collection: 'peers-feed', marking: 'red', provider: 'h1', consumer: 'h1', expected: 'own-object' },
  { spec: 'a RED indicator reaches a named recipient', collection: 'peers-feed', marking: 'red', provider: 'h1', consumer: 'h2', recipients: ['h2'], expected: 'red-named-recipient' },
  { spec: 'a RED indicator does not reach a peer it does not name', collection: 'peers-feed', marking: 'red', provider: 'h1', consumer: 'h3', recipients: ['h2'], expected: 'not-visible' },
  { spec: 'a RED indicator does not reach a named organization that is not entitled to the collection', collection: 'peers-feed', marking: 'red', provider: 'h1', consumer: 'outsider', recipients: ['outsider'], expected: 'not-visible' },
  { spec: 'a consumer outside the group does not see the collection, even for CLEAR', collection: 'peers-feed', marking: 'clear', provider: 'h1', consumer: 'outsider', expected: 'not-visible' },
  // vertical
  { spec: 'a branch cannot read a sibling branch’s AMBER indicator in a vertical group', collection: 'regional-feed', marking: 'amber', provider: 'east', consumer: 'west', expected: 'not-visible' },
  { spec: 'a branch cannot read a sibling branch’s AMBER+STRICT indicator', collection: 'regional-feed', marking: 'amber+strict', provider: 'east', consumer: 'west', expected: 'not-visible' },
  { spec: 'a branch reads a sibling branch’s GREEN indicator (the community)', collection: 'regional-feed', marking: 'green', provider: 'east', consumer: 'west', expected: 'tlp-green-group' },
  { spec: 'a branch cannot read its sibling’s child’s AMBER indicator (a cousin line)', collection: 'regional-feed', marking: 'amber', provider: 'east-lab', consumer: 'west', expected: 'not-visible' },
  { spec: 'a grandparent reads its grandchild’s AMBER indicator', collection: 'regional-feed', marking: 'amber', provider: 'east-lab', consumer: 'hq', expected: 'vertical-ancestor' },
  { spec: 'a grandparent reads its grandchild’s AMBER+STRICT indicator', collection: 'regional-feed', marking: 'amber+strict', provider: 'east-lab', consumer: 'hq', expected: 'vertical-ancestor' },
  { spec: 'a parent reads its child’s AMBER indicator', collection: 'regional-feed', marking: 'amber', provider: 'east-lab', consumer: 'east', expected: 'vertical-ancestor' },
  { spec: 'a grandchild reads what the root publishes at AMBER', collection: 'regional-feed', marking: 'amber', provider: 'hq', consumer: 'east-lab', expected: 'vertical-descendant' },
  { spec: 'a child reads its parent’s AMBER+STRICT indicator', collection: 'regional-feed', marking: 'amber+strict', provider: 'east', consumer: 'east-lab', expected: 'vertical-descendant' },
  { spec: 'a sibling receives the parent’s republication (a new object provided by the parent)', collection: 'regional-feed', marking: 'amber', provider: 'hq', consumer: 'west', expected: 'vertical-descendant' },
  { spec: 'a RED indicator reaches a sibling only because the provider names it', collection: 'regional-feed', marking: 'red', provider: 'east', consumer: 'west', recipients: ['west'], expected: 'red-named-recipient' },
  { spec: 'a RED indicator does not reach the parent unless named', collection: 'regional-feed', marking: 'red', provider: 'east', consumer: 'hq', recipients: ['west'], expected: 'not-visible' },
  // hybrid without pass-down
  { spec: 'a peer-link head reads the other head’s own AMBER indicator', collection: 'alliance-feed', marking: 'amber', provider: 'a-hq', consumer: 'b-hq', expected: 'peer-link' },
  { spec: 'a peer-link head reads the other head’s own AMBER+STRICT indicator', collection: 'alliance-feed', marking: 'amber+strict', provider: 'a-hq', consumer: 'b-hq', expected: 'peer-link' },
  { spec: 'a peer-link head does not read the other head’s branch’s AMBER indicator', collection: 'alliance-feed', marking: 'amber', provider: 'a-branch', consumer: 'b-hq', expected: 'not-visible' },
  { spec: 'a branch does not read across a link without pass-down at AMBER', collection: 'alliance-feed', marking: 'amber', provider: 'a-hq', consumer: 'b-branch', expected: 'not-visible' },
  { spec: 'a branch reads its own head’s AMBER indicator inside its tree', collection: 'alliance-feed', marking: 'amber', provider: 'a-hq', consumer: 'a-branch', expected: 'vertical-descendant' },
  { spec: 'a branch across the link reads GREEN (the whole group)', collection: 'alliance-feed', marking: 'green', provider: 'a-hq', consumer: 'b-branch', expected: 'tlp-green-group' },
  // hybrid with pass-down
  { spec: 'a branch reads across a pass-down link at AMBER', collection: 'federation-feed', marking: 'amber', provider: 'c-hq', consumer: 'd-branch', expected: 'peer-link-pass-down' },
  { spec: 'pass-down works in both directions of the link', collection: 'federation-feed', marking: 'amber', provider: 'd-hq', consumer: 'c-branch', expected: 'peer-link-pass-down' },
  { spec: 'a branch does not read across a pass-down link at AMBER+STRICT', collection: 'federation-feed', marking: 'amber+strict', provider: 'c-hq', consumer: 'd-branch', expected: 'not-visible' },
  { spec: 'the head at the other end still reads AMBER+STRICT across the link', collection: 'federation-feed', marking: 'amber+strict', provider: 'c-hq', consumer: 'd-hq', expected: 'peer-link' },
  { spec: 'pass-down carries only the head’s own objects, not its branch’s', collection: 'federation-feed', marking: 'amber', provider: 'c-branch', consumer: 'd-branch', expected: 'not-visible' },
  { spec: 'a head does not read the other tree’s branch across a pass-down link', collection: 'federation-feed', marking: 'amber', provider: 'd-branch', consumer: 'c-hq', expected: 'not-visible' },
  { spec: 'nothing crosses two peer links: c-hq does not read e-hq through d-hq', collection: 'federation-feed', marking: 'amber', provider: 'e-hq', consumer: 'c-hq', expected: 'not-visible' },
  { spec: 'nothing crosses two peer links, not even by pass-down', collection: 'federation-feed', marking: 'amber', provider: 'e-hq', consumer: 'c-branch', expected: 'not-visible' },
  { spec: 'the middle head reads both neighbours', collection: 'federation-feed', marking: 'amber', provider: 'e-hq', consumer: 'd-hq', expected: 'peer-link' },
  // collection owned by one organization
  { spec: 'an organization’s collection: a sibling reads its (default) GREEN indicator', collection: 'east-feed', marking: undefined, provider: 'east', consumer: 'west', expected: 'tlp-green-group' },
  { spec: 'an organization’s collection: a sibling does not read its AMBER indicator', collection: 'east-feed', marking: 'amber', provider: 'east', consumer: 'west', expected: 'not-visible' },
  { spec: 'an organization’s collection: the parent reads its AMBER indicator', collection: 'east-feed', marking: 'amber', provider: 'east', consumer: 'hq', expected: 'vertical-ancestor' },
  { spec: 'an organization’s collection: the child reads its AMBER+STRICT indicator', collection: 'east-feed', marking: 'amber+strict', provider: 'east', consumer: 'east-lab', expected: 'vertical-descendant' },
  { spec: 'an organization’s collection is not visible outside the owner’s groups', collection: 'east-feed', marking: 'clear', provider: 'east', consumer: 'h1', expected: 'not-visible' },
];

describe('reading an indicator', () => {
  test.each(readRows)('$spec', (row) => {
    const object = { providerOrgId: row.provider, marking: row.marking, recipients: row.recipients ?? [] };
    expect(outcome(decide(policy, consumer(row.consumer), 'read', { collectionId: row.collection, object }))).toBe(row.expected);
  });

  test('an operator reads every indicator, RED included, whoever provided it', () => {
    for (const collection of hubInput.collections) {
      for (const marking of ['clear', 'green', 'amber', 'amber+strict', 'red'] as const) {
        const object = { providerOrgId: 'east', marking, recipients: [] };
        expect(decide(policy, operator, 'read', { collectionId: collection.id, object })).toEqual({ allowed: true, rule: 'operator' });
      }
    }
  });
});

interface ReportRow {
  spec: string;
  collection: string;
  marking: TlpLevel;
  reporter: string;
  namedReaders: string[];
  consumer: string;
  recipients?: string[];
  expected: Expected;
}

// A report (sighting, opinion, note) whose named readers are the providers of what it reports on.
const reportRows: ReportRow[] = [
  { spec: 'the head office reads a branch’s AMBER+STRICT sighting of its indicator', collection: 'regional-feed', marking: 'amber+strict', reporter: 'east', namedReaders: ['hq'], consumer: 'hq', expected: 'reported-to-provider' },
  { spec: 'the head office reads a branch’s RED sighting of its indicator that names nobody', collection: 'regional-feed', marking: 'red', reporter: 'east', namedReaders: ['hq'], consumer: 'hq', expected: 'reported-to-provider' },
  { spec: 'a sibling branch does not read a branch’s AMBER+STRICT sighting of the head office’s indicator', collection: 'regional-feed', marking: 'amber+strict', reporter: 'east', namedReaders: ['hq'], consumer: 'west', expected: 'not-visible' },
  { spec: 'a sibling branch does not read a branch’s RED sighting of the head office’s indicator', collection: 'regional-feed', marking: 'red', reporter: 'east', namedReaders: ['hq'], consumer: 'west', expected: 'not-visible' },
  { spec: 'the marking still decides who else reads a report: a RED recipient', collection: 'regional-feed', marking: 'red', reporter: 'east', namedReaders: ['hq'], consumer: 'west', recipients: ['west'], expected: 'red-named-recipient' },
  { spec: 'the marking still decides who else reads a report: the reporter’s child at AMBER', collection: 'regional-feed', marking: 'amber', reporter: 'east', namedReaders: ['hq'], consumer: 'east-lab', expected: 'vertical-descendant' },
  { spec: 'a reporter reads its own report', collection: 'regional-feed', marking: 'red', reporter: 'east', namedReaders: ['hq'], consumer: 'east', expected: 'own-object' },
  { spec: 'a sighting across a link without pass-down reaches the provider at the other end', collection: 'alliance-feed', marking: 'amber+strict', reporter: 'a-branch', namedReaders: ['b-hq'], consumer: 'b-hq', expected: 'reported-to-provider' },
  { spec: 'a named reader not entitled to the collection reads nothing', collection: 'peers-feed', marking: 'red', reporter: 'h1', namedReaders: ['outsider'], consumer: 'outsider', expected: 'not-visible' },
];

describe('reading a report about another organization’s object', () => {
  test.each(reportRows)('$spec', (row) => {
    const object = { providerOrgId: row.reporter, marking: row.marking, recipients: row.recipients ?? [], namedReaders: row.namedReaders };
    expect(outcome(decide(policy, consumer(row.consumer), 'read', { collectionId: row.collection, object }))).toBe(row.expected);
  });
});

interface ActionRow {
  spec: string;
  who: Principal | undefined;
  action: Action;
  collection: string;
  providerOrgId?: string;
  expected: Expected;
}

const actionRows: ActionRow[] = [
  { spec: 'an anonymous request is told to authenticate', who: undefined, action: 'read', collection: 'peers-feed', expected: 'anonymous' },
  { spec: 'an anonymous request is told to authenticate even for an unknown collection', who: undefined, action: 'see-collection', collection: 'no-such-feed', expected: 'anonymous' },
  { spec: 'a group member sees the group’s collection', who: consumer('h1'), action: 'see-collection', collection: 'peers-feed', expected: 'group-member' },
  { spec: 'a consumer outside the group does not see the collection', who: consumer('outsider'), action: 'see-collection', collection: 'peers-feed', expected: 'not-visible' },
  { spec: 'a consumer outside the group cannot write to the collection: it does not exist for it', who: provider('outsider'), action: 'write', collection: 'peers-feed', expected: 'not-visible' },
  { spec: 'a member without the consumer role may not read', who: provider('h1'), action: 'read', collection: 'peers-feed', expected: 'not-permitted' },
  { spec: 'a member without the consumer role may not read even its own indicator', who: provider('h1'), action: 'read', collection: 'peers-feed', providerOrgId: 'h1', expected: 'not-permitted' },
  { spec: 'a member with only the org-admin role sees the collection but may not read it', who: principal('h1', 'org-admin'), action: 'read', collection: 'peers-feed', expected: 'not-permitted' },
  { spec: 'a member with the provider role writes to the group’s collection', who: provider('h1'), action: 'write', collection: 'peers-feed', providerOrgId: 'h1', expected: 'group-member' },
  { spec: 'writing needs the provider role', who: consumer('h1'), action: 'write', collection: 'peers-feed', expected: 'not-permitted' },
  { spec: 'a provider cannot write an indicator in another organization’s name', who: provider('h1'), action: 'write', collection: 'peers-feed', providerOrgId: 'h2', expected: 'not-permitted' },
  { spec: 'the owner writes to its own collection', who: provider('east'), action: 'write', collection: 'east-feed', expected: 'collection-owner' },
  { spec: 'the owner’s community sees an organization’s collection', who: consumer('west'), action: 'see-collection', collection: 'east-feed', expected: 'owner-community' },
  { spec: 'the owner’s community reads but never writes an organization’s collection', who: principal('west', 'provider', 'consumer'), action: 'write', collection: 'east-feed', expected: 'not-permitted' },
  { spec: 'an operator writes to any collection', who: operator, action: 'write', collection: 'east-feed', providerOrgId: 'east', expected: 'operator' },
  { spec: 'an unknown collection is not visible, even to an operator', who: operator, action: 'see-collection', collection: 'no-such-feed', expected: 'not-visible' },
];

describe('using a collection', () => {
  test.each(actionRows)('$spec', (row) => {
    const target = row.providerOrgId === undefined
      ? { collectionId: row.collection }
      : { collectionId: row.collection, object: { providerOrgId: row.providerOrgId, marking: 'amber' as const, recipients: [] } };
    expect(outcome(decide(policy, row.who, row.action, target))).toBe(row.expected);
  });
});

describe('TAXII can_read / can_write per client', () => {
  test('a member with both roles can read and write the group’s collection', () => {
    expect(collectionAccess(policy, principal('h1', 'consumer', 'provider'), 'peers-feed')).toEqual({ canRead: true, canWrite: true });
  });
  test('the owner’s community can read but not write an organization’s collection', () => {
    expect(collectionAccess(policy, principal('west', 'consumer', 'provider'), 'east-feed')).toEqual({ canRead: true, canWrite: false });
  });
  test('a provider-only member can write but not read', () => {
    expect(collectionAccess(policy, provider('h2'), 'peers-feed')).toEqual({ canRead: false, canWrite: true });
  });
  test('a collection the client cannot see has no access entry at all', () => {
    expect(collectionAccess(policy, consumer('outsider'), 'peers-feed')).toBeUndefined();
    expect(collectionAccess(policy, undefined, 'peers-feed')).toBeUndefined();
  });
  test('an operator can read and write every collection', () => {
    expect(collectionAccess(policy, operator, 'alliance-feed')).toEqual({ canRead: true, canWrite: true });
  });
});
