import { decide, recipientsPreview } from '../../src/access';
import { TLP_LEVELS } from '../../src/domain/tenancy';
import { compiled, consumer, hubInput } from './fixture-hub';

const policy = compiled(hubInput);

describe('who will receive this (recipients preview)', () => {
  test('an AMBER indicator of a branch goes to itself and its ancestors only', () => {
    expect(recipientsPreview(policy, { collectionId: 'regional-feed', providerOrgId: 'east', marking: 'amber', recipients: [] })).toEqual([
      { organizationId: 'east', rule: 'own-object' },
      { organizationId: 'east-lab', rule: 'vertical-descendant' },
      { organizationId: 'hq', rule: 'vertical-ancestor' },
    ]);
  });

  test('a GREEN indicator goes to the whole group, siblings included', () => {
    const preview = recipientsPreview(policy, { collectionId: 'regional-feed', providerOrgId: 'east', marking: 'green', recipients: [] });
    expect(preview.map((r) => r.organizationId)).toEqual(['east', 'east-lab', 'hq', 'west']);
  });

  test('an AMBER indicator of a head crosses a pass-down link to the other tree', () => {
    expect(recipientsPreview(policy, { collectionId: 'federation-feed', providerOrgId: 'c-hq', marking: 'amber', recipients: [] })).toEqual([
      { organizationId: 'c-branch', rule: 'vertical-descendant' },
      { organizationId: 'c-hq', rule: 'own-object' },
      { organizationId: 'd-branch', rule: 'peer-link-pass-down' },
      { organizationId: 'd-hq', rule: 'peer-link' },
    ]);
  });

  test('a RED indicator lists only the named, entitled recipients and the provider', () => {
    expect(recipientsPreview(policy, { collectionId: 'peers-feed', providerOrgId: 'h1', marking: 'red', recipients: ['h3', 'outsider'] })).toEqual([
      { organizationId: 'h1', rule: 'own-object' },
      { organizationId: 'h3', rule: 'red-named-recipient' },
    ]);
  });

  test('an unknown collection has no recipients', () => {
    expect(recipientsPreview(policy, { collectionId: 'no-such-feed', providerOrgId: 'h1', marking: 'clear', recipients: [] })).toEqual([]);
  });

  test('the preview lists exactly the organizations decide() lets read, with the same rule', () => {
    const everyOrg = hubInput.organizations.map((o) => o.id);
    for (const { id: collectionId } of hubInput.collections) {
      for (const providerOrgId of everyOrg) {
        for (const marking of [undefined, ...TLP_LEVELS]) {
          const request = { collectionId, providerOrgId, marking, recipients: ['west', 'h2', 'd-branch'] };
          const fromDecide = everyOrg.flatMap((organizationId) => {
            const d = decide(policy, consumer(organizationId), 'read', { collectionId, object: request });
            return d.allowed ? [{ organizationId, rule: d.rule }] : [];
          });
          expect(recipientsPreview(policy, request)).toEqual(fromDecide.sort((a, b) => a.organizationId.localeCompare(b.organizationId)));
        }
      }
    }
  });
});
