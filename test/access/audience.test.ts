import { audienceCovers, commonAudience, objectReadRule, type CollectionPolicy, type ObjectFacts } from '../../src/access';
import { TLP_LEVELS } from '../../src/domain/tenancy';
import { compiled, hubInput } from './fixture-hub';

/**
 * audienceCovers(wider, narrower) answers "may everyone who reads `narrower` read `wider`?" with
 * shortcuts; commonAudience gives a linking object an audience inside both ends'. Both are checked
 * here against the definition, reader by reader, for every collection of the fixture hub, every
 * pair of providers and markings, a few RED recipient lists and reports with a named reader.
 */
const policy = compiled(hubInput);

function readers(cp: CollectionPolicy, object: ObjectFacts): Set<string> {
  return new Set([...cp.entitled.keys()].filter((org) => objectReadRule(cp, org, object) !== undefined));
}

function variants(cp: CollectionPolicy): ObjectFacts[] {
  const orgs = [...cp.entitled.keys()].sort();
  const recipientLists = [[], orgs.slice(0, 1), orgs.slice(1, 3), orgs];
  const plain: ObjectFacts[] = orgs.flatMap((providerOrgId) =>
    TLP_LEVELS.flatMap((marking) => (marking === 'red' ? recipientLists : [[]]).map((recipients) => ({ providerOrgId, marking, recipients }))),
  );
  // Reports: a strict marking with a named reader (the provider of what they report on).
  const reports: ObjectFacts[] = orgs.flatMap((providerOrgId) =>
    (['amber', 'amber+strict', 'red'] as const).map((marking) => ({ providerOrgId, marking, recipients: [], namedReaders: orgs.filter((o) => o !== providerOrgId).slice(-1) })),
  );
  return [...plain, ...reports];
}

describe.each([...policy.collections.keys()])('audiences in %s', (collectionId) => {
  const cp = policy.collections.get(collectionId) as CollectionPolicy;
  const all = variants(cp);

  test('audienceCovers agrees with comparing the readers one by one', () => {
    let checks = 0;
    for (const wider of all) {
      const widerReaders = readers(cp, wider);
      for (const narrower of all) {
        const expected = [...readers(cp, narrower)].every((org) => widerReaders.has(org));
        expect([wider, narrower, audienceCovers(cp, wider, narrower)]).toEqual([wider, narrower, expected]);
        checks++;
      }
    }
    expect(checks).toBeGreaterThan(100);
  });

  test('a link between two objects reaches no one who cannot read both ends', () => {
    for (const a of all) {
      for (const b of all.filter((x) => x.providerOrgId === a.providerOrgId)) {
        const common = commonAudience(cp, a, b);
        const link = readers(cp, { providerOrgId: a.providerOrgId, marking: common.marking, recipients: common.recipients });
        for (const org of link) expect([a, b, org, readers(cp, a).has(org) && readers(cp, b).has(org)]).toEqual([a, b, org, true]);
      }
    }
  });
});
