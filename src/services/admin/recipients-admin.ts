import { decide, recipientsPreview, type PreviewRecipient } from '../../access';
import { collectionNamedIfAny } from '../collection-names';
import { mayPreviewRecipients } from '../../access/admin-permissions';
import { hubError, type FieldProblem } from '../../domain/errors';
import type { Principal } from '../../domain/principal';
import { TLP_LEVELS, type Collection, type TlpLevel } from '../../domain/tenancy';
import { enforceDecision, notFoundError } from '../access-errors';
import type { PolicyService } from '../policy-service';
import { enforceCreate } from './admin-context';

export interface RecipientsPreviewInput {
  readonly providerOrgId: string;
  /** A TLP level as people write it: `amber`, `AMBER+STRICT`, `TLP:RED`; `white` reads as `clear`. */
  readonly marking: string;
  /** The organizations a TLP:RED object names; only TLP:RED takes any. */
  readonly recipients: readonly string[];
}

export interface RecipientsPreview {
  readonly collection: Collection;
  readonly providerOrgId: string;
  readonly marking: TlpLevel;
  /** Every organization whose consumers would read the object, and the rule that lets them, by id. */
  readonly recipients: readonly PreviewRecipient[];
}

/** Reads a TLP level leniently (case, a `TLP:` prefix, TLP 1.0's WHITE); undefined when it names none. */
export function parseTlpLevel(text: string): TlpLevel | undefined {
  const level = text.trim().toLowerCase().replace(/^tlp:/, '');
  if (level === 'white') return 'clear';
  return (TLP_LEVELS as readonly string[]).includes(level) ? (level as TlpLevel) : undefined;
}

/**
 * "Who will receive this": the organizations an object of `providerOrgId` with this marking (and,
 * for TLP:RED, these named recipients) would reach in a collection, from the same decisions that
 * filter reads. A collection the principal cannot see is 404; previewing another organization's
 * objects is 403 unless the principal is an operator; a request that describes no object the
 * provider could write there is 400.
 */
export function recipientsAdmin(deps: { readonly policy: Pick<PolicyService, 'current'> }) {
  return {
    async preview(who: Principal, name: string, input: RecipientsPreviewInput): Promise<RecipientsPreview> {
      const policy = await deps.policy.current();
      const what = `collection ${name}`;
      // By id or alias, as TAXII names collections (access/collection-names.ts).
      const cp = collectionNamedIfAny(policy, name, { who });
      if (!cp) throw notFoundError(what);
      const collectionId = cp.collection.id;
      enforceDecision(decide(policy, who, 'see-collection', { collectionId }), what);
      enforceCreate(mayPreviewRecipients(who, input.providerOrgId), `previews of objects provided by '${input.providerOrgId}'`);

      const problems: FieldProblem[] = [];
      const provider = input.providerOrgId;
      if (!policy.organizationIds.has(provider)) problems.push({ path: 'provider', message: `unknown organization '${provider}'` });
      else if (cp.entitled.get(provider)?.write !== true) problems.push({ path: 'provider', message: `organization '${provider}' may not write to collection ${collectionId}` });
      const marking = parseTlpLevel(input.marking);
      if (marking === undefined) problems.push({ path: 'marking', message: `'${input.marking}' is not a TLP level (clear, green, amber, amber+strict, red)` });
      if (marking === 'red' && input.recipients.length === 0) problems.push({ path: 'recipients', message: 'a TLP:RED object reaches only the organizations it names: name at least one' });
      if (marking !== undefined && marking !== 'red' && input.recipients.length > 0) problems.push({ path: 'recipients', message: 'only TLP:RED objects name recipients' });
      input.recipients.forEach((org, i) => {
        if (!policy.organizationIds.has(org)) problems.push({ path: `recipients[${i}]`, message: `unknown organization '${org}'` });
      });
      if (marking === undefined || problems.length > 0) {
        throw hubError('VALIDATION_FAILED', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
      }

      const recipients = recipientsPreview(policy, { collectionId, providerOrgId: provider, marking, recipients: input.recipients });
      return { collection: cp.collection, providerOrgId: provider, marking, recipients };
    },
  };
}
