import { DEFAULT_VALIDITY_DAYS } from '../domain/indicators';
import { DEFAULT_ATTRIBUTION, DEFAULT_UNMARKED, type ApiRoot, type Collection, type Organization, type TrustGroup } from '../domain/tenancy';
import { treeMembers } from '../domain/trust-group-rules';
import { ProblemCollector, type ConfigDocument, type Located } from './config-problems';
import { configUserId, DEFAULT_HUB_TITLE, type ConfigResult, type ConfigUser, type HubConfig, type HubInfo, type PasswordSource } from './hub-config';
import {
  checkDocumentSchema,
  isRecord,
  LIST_SECTIONS,
  type ApiRootEntry,
  type CollectionEntry,
  type HubSection,
  type ListSection,
  type OrganizationEntry,
  type TrustGroupEntry,
  type UsableDocument,
  type UserEntry,
} from './hub-config-document';
import { checkReferences, type MergedConfig } from './hub-config-references';
import { checkWarningLists, configuredWarningListPaths } from './hub-config-warning-lists';

export type { ConfigDocument } from './config-problems';

/** TAXII 2.1 max_content_length when an API root does not say: 10 MiB. */
export const DEFAULT_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

/**
 * Validates one configuration object (e.g. parsed YAML): schema, then cross-references. Every
 * problem is reported, each with its path; on success the configuration is deep-frozen.
 */
export function validateHubConfig(raw: unknown, source?: string): ConfigResult {
  return validateHubConfigDocuments([source === undefined ? { content: raw } : { source, content: raw }]);
}

/**
 * Validates several documents as one configuration: their lists are concatenated, so an id may be
 * declared once across all of them and references may cross documents.
 */
export function validateHubConfigDocuments(documents: readonly ConfigDocument[]): ConfigResult {
  const problems = new ProblemCollector(documents);
  const usable: UsableDocument[] = [];
  const shadows = { apiRoots: [] as string[], organizations: [] as string[], trustGroups: [] as string[] };
  documents.forEach((document, doc) => {
    const content = withoutEmptySections(document.content);
    const outcome = checkDocumentSchema(content);
    outcome.problems.forEach((problem) => problems.inDocument(doc, problem.segments, problem.message));
    usable.push(outcome.usable);
    collectShadowIds(content, outcome.usable, shadows);
  });
  const merged = merge(usable, problems);
  checkReferences(merged, shadows, problems);
  const warningListPaths = configuredWarningListPaths(merged.hub, problems);
  const warningListProblems = checkWarningLists(merged.hub, warningListPaths, problems);
  if (problems.count > 0 || warningListProblems.length > 0) return { ok: false, errors: [...problems.toProblems(), ...warningListProblems] };
  return { ok: true, config: deepFreeze(toHubConfig(merged, warningListPaths)) };
}

/** An empty file, or a section whose entries are all commented out, is YAML null: read it as absent. */
function withoutEmptySections(content: unknown): unknown {
  if (content === null || content === undefined) return {};
  if (!isRecord(content)) return content;
  return Object.fromEntries(Object.entries(content).filter(([, value]) => value !== null));
}

function merge(documents: readonly UsableDocument[], problems: ProblemCollector): MergedConfig {
  let hub: Located<HubSection> | undefined;
  documents.forEach((document, doc) => {
    if (document.hub === undefined) return;
    if (hub) {
      problems.inDocument(doc, ['hub'], `hub is already declared in ${problems.sourceOf(hub.doc) ?? 'another document'}; declare it once`);
    } else hub = { entry: document.hub, doc, at: ['hub'] };
  });
  const list = <K extends ListSection>(section: K) =>
    documents.flatMap((document, doc) =>
      (document[section] ?? []).flatMap((entry, index) => (entry === undefined ? [] : [{ entry: entry as NonNullable<typeof entry>, doc, at: [section, index] }])),
    );
  return {
    hub,
    apiRoots: list('api_roots') as Located<ApiRootEntry>[],
    organizations: list('organizations') as Located<OrganizationEntry>[],
    users: list('users') as Located<UserEntry>[],
    trustGroups: list('trust_groups') as Located<TrustGroupEntry>[],
    collections: list('collections') as Located<CollectionEntry>[],
  };
}

/** Remembers the ids of entries dropped by the schema stage (see ShadowIds). */
function collectShadowIds(content: unknown, usable: UsableDocument, shadows: { apiRoots: string[]; organizations: string[]; trustGroups: string[] }): void {
  if (!isRecord(content)) return;
  const targets: Partial<Record<ListSection, string[]>> = {
    api_roots: shadows.apiRoots,
    organizations: shadows.organizations,
    trust_groups: shadows.trustGroups,
  };
  for (const section of LIST_SECTIONS) {
    const target = targets[section];
    const list = content[section];
    if (!target || !Array.isArray(list)) continue;
    list.forEach((entry: unknown, i) => {
      if (usable[section]?.[i] === undefined && isRecord(entry) && typeof entry.id === 'string') target.push(entry.id);
    });
  }
}

function campaignCandidatesOf(given: { min_indicators?: number; min_submissions?: number; window_days?: number } | undefined): Pick<HubInfo, 'campaignCandidates'> {
  if (given === undefined) return {};
  const thresholds = {
    ...(given.min_indicators !== undefined ? { minIndicators: given.min_indicators } : {}),
    ...(given.min_submissions !== undefined ? { minSubmissions: given.min_submissions } : {}),
    ...(given.window_days !== undefined ? { windowDays: given.window_days } : {}),
  };
  return { campaignCandidates: Object.freeze(thresholds) };
}

function toHubConfig(merged: MergedConfig, warningListPaths: readonly string[]): HubConfig {
  const hub = merged.hub?.entry;
  const info: HubInfo = {
    title: hub?.title ?? DEFAULT_HUB_TITLE,
    description: hub?.description ?? null,
    contact: hub?.contact ?? null,
    defaultApiRootId: hub?.default_api_root ?? null,
    indicatorValidityDays: Object.freeze({ ...DEFAULT_VALIDITY_DAYS, ...(hub?.indicator_validity_days ?? {}) }),
    ...(warningListPaths.length > 0 ? { warningListPaths: [...warningListPaths] } : {}),
    ...campaignCandidatesOf(hub?.analysis?.campaign_candidates),
  };
  return {
    hub: info,
    apiRoots: merged.apiRoots.map(({ entry }) => toApiRoot(entry)),
    organizations: merged.organizations.map(({ entry }): Organization => ({
      id: entry.id,
      name: entry.name,
      parentId: entry.parent ?? null,
      managedBy: 'config',
      ...(entry.delivery_allow_list && entry.delivery_allow_list.length > 0 ? { deliveryAllowList: Object.freeze([...entry.delivery_allow_list]) } : {}),
    })),
    users: merged.users.map(({ entry }) => toUser(entry)),
    trustGroups: merged.trustGroups.map(({ entry }) => toTrustGroup(entry)),
    collections: merged.collections.map(({ entry }) => toCollection(entry)),
  };
}

function toApiRoot(entry: ApiRootEntry): ApiRoot {
  return {
    id: entry.id,
    title: entry.title,
    description: entry.description ?? null,
    maxContentLength: entry.max_content_length ?? DEFAULT_MAX_CONTENT_LENGTH,
    managedBy: 'config',
  };
}

function toUser(entry: UserEntry): ConfigUser {
  const password: PasswordSource =
    entry.password_hash !== undefined
      ? { kind: 'hash', hash: entry.password_hash }
      : entry.password_env !== undefined
        ? { kind: 'env', variable: entry.password_env }
        : { kind: 'none' };
  return {
    id: configUserId(entry.username),
    username: entry.username,
    organizationId: entry.organization,
    roles: [...entry.roles],
    disabled: entry.disabled ?? false,
    managedBy: 'config',
    password,
  };
}

function toTrustGroup(entry: TrustGroupEntry): TrustGroup {
  const tree = entry.topology === 'horizontal' ? {} : (entry.tree ?? {});
  // Members of a tree group: every organization in its tree(s), in declaration order.
  const members = entry.topology === 'horizontal' ? [...(entry.members ?? [])] : treeMembers(tree);
  return {
    id: entry.id,
    name: entry.name,
    topology: entry.topology,
    members,
    tree: Object.fromEntries(Object.entries(tree).map(([parent, children]) => [parent, [...children]])),
    peerLinks: (entry.peer_links ?? []).map((link) => ({ between: [link.between[0], link.between[1]] as const, passDown: link.pass_down ?? false })),
    attribution: entry.attribution ?? DEFAULT_ATTRIBUTION,
    managedBy: 'config',
  };
}

function toCollection(entry: CollectionEntry): Collection {
  const { organization, trust_group: group } = entry.owner;
  return {
    id: entry.id,
    apiRootId: entry.api_root,
    alias: entry.alias ?? null,
    title: entry.title,
    description: entry.description ?? null,
    owner: organization !== undefined ? { kind: 'organization', id: organization } : { kind: 'trust-group', id: group ?? '' },
    defaultMarking: entry.default_marking,
    unmarked: entry.unmarked ?? DEFAULT_UNMARKED,
    attribution: entry.attribution ?? DEFAULT_ATTRIBUTION,
    managedBy: 'config',
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
