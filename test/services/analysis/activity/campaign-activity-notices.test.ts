import { activityNotices, type ActivityAudience, type ActivityInput, type Neighbour, type StoredFacts } from '../../../../src/domain/analysis/campaign-activity';

/**
 * Who is told what when a new indicator joins (pure part, domain/analysis/campaign-activity.ts): an
 * audience where each organization reads what a table says, so every rule can be seen failing.
 */

const A = 'collection-a';
const B = 'collection-b';
const green = (collectionId: string, providerOrgId: string): StoredFacts => ({ collectionId, providerOrgId, tlp: 'green', recipients: [], namedReaders: [] });
const red = (collectionId: string, providerOrgId: string, recipients: string[]): StoredFacts => ({ collectionId, providerOrgId, tlp: 'red', recipients, namedReaders: [] });

const neighbour = (id: string, facts: StoredFacts, submission: string, sharedKeys = ['ip:203.0.113.9']): Neighbour => ({ ...facts, id, submission, sharedKeys });

/** Organizations read green in every collection, red when named; `hidden` collections hide providers. */
function audience(organizations: string[], hidden: string[] = []): ActivityAudience {
  return {
    organizations,
    reads: (org, o) => o.providerOrgId === org || o.tlp === 'green' || (o.tlp === 'red' && o.recipients.includes(org)),
    knowsProvider: (org, collectionId, provider) => org === provider || !hidden.includes(collectionId),
  };
}

const indicator = {
  ...red(A, 'p3', ['p3', 'o1', 'o2', 'o4']),
  id: 'indicator--new',
  submission: 's3',
  dateAdded: 30,
  version: 30,
  values: [{ kind: 'email-sender-ip', value: '203.0.113.9' }, { kind: 'email-attachment-name', value: 'Invoice.doc' }],
};

describe('campaign-activity notices', () => {
  const input: ActivityInput = {
    indicator,
    neighbours: [
      neighbour('indicator--a1', green(A, 'p1'), 's1'),
      neighbour('indicator--a2', red(A, 'p2', ['p2', 'o1']), 's2', ['attachment:invoice.doc']),
      neighbour('indicator--b1', green(B, 'p1'), 's1'),
    ],
    campaigns: [],
  };

  test('each organization gets, per collection, only the members it reads; identical notices share one event', () => {
    const notices = activityNotices(input, audience(['o1', 'o2', 'o3', 'o4', 'p3']));
    // o1 reads every member: 4 indicators from 3 submissions.
    const toO1 = notices.filter((n) => n.recipients.includes('o1'));
    expect(toO1.map((n) => [n.collectionId, n.document.members])).toEqual([[A, ['indicator--a1', 'indicator--a2']], [B, ['indicator--b1']]]);
    expect(toO1[0]?.document).toMatchObject({ joins: 'candidate', size: { indicators: 4, submissions: 3 }, shared: indicator.values, indicator: { id: 'indicator--new', provider: 'p3', kind: 'email-sender-ip', value: '203.0.113.9', tlp: 'red' } });
    // o2, o4 and p3 read the green members only (3 from 2 submissions), with the same notice: one event each collection.
    const others = notices.filter((n) => !n.recipients.includes('o1'));
    expect(others.map((n) => [n.collectionId, n.recipients, n.document.members])).toEqual([
      [A, ['o2', 'o4', 'p3'], ['indicator--a1']],
      [B, ['o2', 'o4', 'p3'], ['indicator--b1']],
    ]);
    expect(others[0]?.document.size).toEqual({ indicators: 3, submissions: 2 });
    expect(others[0]?.document.shared).toEqual([{ kind: 'email-sender-ip', value: '203.0.113.9' }]); // the attachment is shared with a2 only
    // o3 may not read the new indicator: nothing.
    expect(notices.some((n) => n.recipients.includes('o3'))).toBe(false);
  });

  test('below the thresholds nothing is said; an organization reading no other member hears nothing', () => {
    const small: ActivityInput = { ...input, neighbours: [neighbour('indicator--a2', red(A, 'p2', ['p2', 'o1']), 's2')] };
    expect(activityNotices(small, audience(['o1', 'o2']))).toEqual([]); // o1: 2 indicators; o2: none readable
    expect(activityNotices(small, audience(['o1']), { minIndicators: 2, minSubmissions: 2, windowDays: 30 }).map((n) => n.recipients)).toEqual([['o1']]);
    const sameSubmission: ActivityInput = { ...input, neighbours: [neighbour('indicator--a1', green(A, 'p3'), 's3'), neighbour('indicator--a2', green(A, 'p3'), 's3')] };
    expect(activityNotices(sameSubmission, audience(['o1']))).toEqual([]); // 3 indicators, one submission
  });

  test('the candidate grows through a neighbour’s neighbours, but never bridges through a member the organization may not read', async () => {
    const chain: ActivityInput = {
      indicator,
      neighbours: [neighbour('indicator--a1', green(A, 'p1'), 's1'), neighbour('indicator--a2', red(A, 'p2', ['p2', 'o1']), 's2')],
      further: [
        { ...green(B, 'p4'), id: 'indicator--b9', submission: 's4', via: [`${A} indicator--a1`] },
        { ...green(B, 'p5'), id: 'indicator--b8', submission: 's5', via: [`${A} indicator--a2`] },
      ],
      campaigns: [],
    };
    const notices = activityNotices(chain, audience(['o1', 'o2']));
    // o1 reads both neighbours: both members further away count, and B's feed tells it of them.
    expect(notices.filter((n) => n.recipients.includes('o1')).map((n) => [n.collectionId, n.document.members, n.document.size])).toEqual([
      [A, ['indicator--a1', 'indicator--a2'], { indicators: 5, submissions: 5 }],
      [B, ['indicator--b8', 'indicator--b9'], { indicators: 5, submissions: 5 }],
    ]);
    expect(notices.find((n) => n.collectionId === B)?.document.shared).toEqual([]); // nothing in B shares a value with it directly
    // o2 may not read a2: b8, reached only through a2, is no member of its candidate (though o2 may read b8).
    expect(notices.filter((n) => n.recipients.includes('o2')).map((n) => [n.collectionId, n.document.members, n.document.size])).toEqual([
      [A, ['indicator--a1'], { indicators: 3, submissions: 3 }],
      [B, ['indicator--b9'], { indicators: 3, submissions: 3 }],
    ]);
  });

  test('a readable campaign makes it `joins: campaign` whatever the size; an unreadable one, or behind an unreadable relationship, is not named', () => {
    const campaign = { ...red(A, 'p2', ['p2', 'o1']), id: 'campaign--1', name: 'Kuro Relay' };
    const withCampaign: ActivityInput = {
      indicator,
      neighbours: [neighbour('indicator--a2', green(A, 'p2'), 's2')],
      campaigns: [
        { collectionId: A, indicatorId: 'indicator--a2', relationship: green(A, 'p2'), campaign },
        { collectionId: A, indicatorId: 'indicator--a2', relationship: red(A, 'p2', ['p2']), campaign: { ...green(A, 'p2'), id: 'campaign--2', name: 'Hidden link' } },
      ],
    };
    const notices = activityNotices(withCampaign, audience(['o1', 'o2'], [A]));
    expect(notices).toEqual([
      {
        collectionId: A,
        recipients: ['o1'],
        document: expect.objectContaining({ joins: 'campaign', campaigns: [{ id: 'campaign--1', name: 'Kuro Relay', collection: A }], members: ['indicator--a2'] }),
      },
    ]);
    expect(notices[0]?.document.indicator.provider).toBeUndefined(); // A hides attribution from o1
  });
});
