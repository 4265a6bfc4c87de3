import type { TlpLevel } from '../domain/tenancy';
import { objectReadRule, type RuleName } from './access-decision';
import type { CompiledPolicy } from './compiled-policy';

export interface PreviewRequest {
  readonly collectionId: string;
  readonly providerOrgId: string;
  readonly marking: TlpLevel | undefined;
  readonly recipients: readonly string[];
}

export interface PreviewRecipient {
  readonly organizationId: string;
  readonly rule: RuleName;
}

/**
 * "Who will receive this": every organization whose consumers would read the object, and why,
 * sorted by organization id. Operators read everything and are not listed. The provider itself is
 * listed (rule 'own-object') when it is entitled to the collection, exactly as decide() answers.
 */
export function recipientsPreview(policy: CompiledPolicy, request: PreviewRequest): PreviewRecipient[] {
  const cp = policy.collections.get(request.collectionId);
  if (cp === undefined) return [];
  const object = { providerOrgId: request.providerOrgId, marking: request.marking, recipients: request.recipients };
  const out: PreviewRecipient[] = [];
  for (const organizationId of cp.entitled.keys()) {
    const rule = objectReadRule(cp, organizationId, object);
    if (rule !== undefined) out.push({ organizationId, rule });
  }
  return out.sort((a, b) => (a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0));
}
