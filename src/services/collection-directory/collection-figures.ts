import { collectionAccess, readScope } from '../../access';
import { hubError } from '../../domain/errors';
import { isOperator, type Principal } from '../../domain/principal';
import type { Collection, TlpLevel } from '../../domain/tenancy';
import type { CollectionFiguresStore } from '../../storage/collection-figures-store';
import { collectionNamedIfAny } from '../collection-names';
import type { PolicyService } from '../policy-service';
import { everyConsumerPolls, ownPolls, type ConsumerPollsDeps, type OrganizationPolls } from '../poll-marks/consumer-polls';

/**
 * A collection's figures for one caller (the console's Collections page): the objects per provider
 * and TLP marking and the last activity, counted only over what the caller may read (its ReadScope,
 * inside the query), so no figure reveals a hidden object. Where the collection hides attribution,
 * other organizations' objects are counted under no provider (as the indicator listing hides them).
 * Operators also learn who is entitled to the collection (readers and writers); others learn only
 * what they themselves may do. Where the hub records polls (issue 16, ../poll-marks), a caller learns
 * its own organization's last poll and lag, and operators every entitled or polling organization's;
 * nobody else learns another organization's polls.
 */
export interface CollectionFigures {
  readonly collection: Collection;
  readonly canRead: boolean;
  readonly canWrite: boolean;
  /** Per provider (undefined: not disclosed) and marking, readable heads only. */
  readonly figures: readonly { readonly provider?: string; readonly tlp: TlpLevel; readonly objects: number; readonly indicators: number; readonly lastAdded: number }[];
  /** Operators only: every entitled organization and whether it may write. */
  readonly entitled?: readonly { readonly organization: string; readonly write: boolean }[];
  /** Non-operators, where polls are recorded: the caller's own organization's polls. */
  readonly ownPolls?: OrganizationPolls;
  /** Operators, where polls are recorded: every entitled organization's polls, and every other that polled. */
  readonly consumerPolls?: readonly OrganizationPolls[];
}

export interface CollectionFiguresService {
  figures(who: Principal | undefined, idOrAlias: string): Promise<CollectionFigures>;
}

export interface CollectionFiguresDeps {
  readonly policy: Pick<PolicyService, 'current'>;
  readonly store: CollectionFiguresStore;
  /** Absent: the hub records no polls, and the figures say nothing of them. */
  readonly polls?: Omit<ConsumerPollsDeps, 'backlog'>;
}

export function createCollectionFiguresService(deps: CollectionFiguresDeps): CollectionFiguresService {
  const polls = deps.polls === undefined ? undefined : { ...deps.polls, backlog: deps.store };
  return {
    async figures(who, idOrAlias) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED');
      const policy = await deps.policy.current();
      const cp = collectionNamedIfAny(policy, idOrAlias, { who });
      const access = cp === undefined ? undefined : collectionAccess(policy, who, cp.collection.id);
      if (cp === undefined || access === undefined) throw hubError('NOT_FOUND', `There is no collection ${idOrAlias} that you may see`);
      const scope = readScope(policy, who, cp.collection.id);
      const rows = await deps.store.readableFigures(cp.collection.id, scope);
      const shown = (provider: string) => cp.attribution !== 'hidden' || isOperator(who) || provider === who.organizationId;
      const merged = new Map<string, { provider?: string; tlp: TlpLevel; objects: number; indicators: number; lastAdded: number }>();
      for (const row of rows) {
        const provider = shown(row.providerOrgId) ? row.providerOrgId : undefined;
        const key = `${provider ?? ''}\u0000${row.tlp}`;
        const before = merged.get(key);
        merged.set(key, {
          ...(provider !== undefined ? { provider } : {}),
          tlp: row.tlp,
          objects: (before?.objects ?? 0) + row.objects,
          indicators: (before?.indicators ?? 0) + row.indicators,
          lastAdded: Math.max(before?.lastAdded ?? 0, row.lastAdded),
        });
      }
      const entitled = [...cp.entitled].map(([organization, e]) => ({ organization, write: e.write })).sort((a, b) => (a.organization < b.organization ? -1 : 1));
      const pollsShown =
        polls === undefined ? {}
        : isOperator(who) ? { consumerPolls: await everyConsumerPolls(polls, policy, cp.collection.id, entitled.map((e) => e.organization)) }
        : { ownPolls: await ownPolls(polls, policy, who, cp.collection.id) };
      return {
        collection: cp.collection,
        canRead: access.canRead,
        canWrite: access.canWrite,
        figures: [...merged.values()],
        ...(isOperator(who) ? { entitled } : {}),
        ...pollsShown,
      };
    },
  };
}
