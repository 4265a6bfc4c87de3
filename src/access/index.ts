/**
 * Access: who may see which collection, and who may read whose objects in it.
 * Pure: compilePolicy() once per configuration, then decide() per principal/object.
 *
 * 1. Entitlement (who sees a collection; everyone else gets 'not-visible', i.e. 404)
 *    - A collection owned by a trust group: every member of the group sees it, reads and writes
 *      (rule 'group-member').
 *    - A collection owned by one organization: the owner reads and writes ('collection-owner');
 *      every member of every trust group containing the owner reads, never writes
 *      ('owner-community') — those are the organizations the topology lets read at least the
 *      owner's GREEN objects. An owner in no group is alone with its collection.
 *    - Operators see, read and write every collection ('operator'); the service layer audits that.
 *
 * 2. Roles
 *    - 'see-collection' needs entitlement only (any role): TAXII lists the collection with
 *      can_read/can_write per client.
 *    - 'read' needs the `consumer` role (or operator). A provider-only principal reads nothing,
 *      not even its own objects: reading is a consumer's act ('not-permitted', 403).
 *    - 'write' needs the `provider` role and a write entitlement; a write naming an object
 *      provided by another organization is 'not-permitted' (a provider writes in its own name).
 *    - No principal at all: 'anonymous' (401).
 *
 * 3. Topology: what provider P's objects may reach inside the collection's group (for an
 *    organization-owned collection: inside every group containing the owner; a reason in any one
 *    of them suffices).
 *    - horizontal: every member reads what every other member provides ('horizontal-peer').
 *    - vertical (one tree): an ancestor reads what its descendants provide ('vertical-ancestor'),
 *      a descendant reads what its ancestors provide ('vertical-descendant'). Siblings and cousins
 *      do not read each other; only an ancestor's republication — a new object provided by that
 *      ancestor — reaches them.
 *    - hybrid (several trees + peer links): the tree rules inside each tree; across a link (a, b)
 *      b reads the objects a provides itself and a those b provides itself ('peer-link'), nothing
 *      of the rest of either tree. With `passDown`, the descendants of b also read a's own objects
 *      and the descendants of a b's own ('peer-link-pass-down'). No transitive leak: with links
 *      a–b and b–c, a never reads c's objects through b.
 *    - A provider always reads its own objects ('own-object').
 *    - Named readers: a report — a `sighting` (sighting_of_ref), an `opinion` or a `note`
 *      (object_refs) — that names an object stored in the same collection which its writer's
 *      organization may read is also readable by that object's provider ('reported-to-provider'),
 *      whatever the report's marking: the reporter reports to the provider, the marking decides who
 *      else. The store works them out when it stores the report (ObjectFacts.namedReaders); a
 *      reference to an object not stored there or not readable by the writer names nobody, and is
 *      no error (an error would tell the writer the object exists).
 *
 * 4. TLP 2.0 narrows that reach per object; an unmarked object takes the collection's defaultMarking.
 *    - CLEAR: every organization entitled to the collection ('tlp-clear').
 *    - GREEN: the community — every member of the group, whatever the direction (siblings
 *      included); for an organization-owned collection every member of any group containing the
 *      owner ('tlp-green-group'). That community is exactly the entitled set, so inside one
 *      collection CLEAR and GREEN reach the same organizations; they differ in what recipients
 *      may do outside the hub.
 *    - AMBER: the topology's reach above, pass-down across links included where the link allows it.
 *    - AMBER+STRICT: the direct relation only — ancestors/descendants in a tree, horizontal peers,
 *      the two ends of a peer link — never passed down across a link.
 *    - RED: only organizations the provider names in the object's `recipients` (and the provider),
 *      and only if they are entitled to the collection ('red-named-recipient'); a named sibling or
 *      a named organization across a link is a deliberate choice of the provider and receives it.
 *      Nobody else — operators excepted, by the operator rule.
 *    - An object a consumer may not read is 'not-visible' for it (404), never 'not-permitted':
 *      refusing with 403 would confirm that the object exists.
 *    Within a collection: CLEAR = GREEN ⊇ AMBER ⊇ AMBER+STRICT; RED = (named ∪ provider) ∩ entitled;
 *    each widened by the object's named readers (section 3).
 *
 * 5. Republishing never loosens a marking; AMBER+STRICT and RED are not republished at all.
 *
 * 6. Attribution (who may learn which member provided an object) is per collection: 'hidden' when
 *    the collection says hidden or any trust group governing it does (the owning group; for an
 *    organization-owned collection every group containing the owner), else 'attributed'. It does
 *    not change who reads what; `attributionOf` answers it, and the services act on it.
 */
export { attributionOf, compilePolicy } from './compiled-policy';
export { lookUpCollection } from './collection-names';
export type { CollectionLookup, CollectionScope } from './collection-names';
export type { CompiledPolicy, CollectionPolicy, Entitlement, MembershipRule, PolicyInput, PolicyResult } from './compiled-policy';
export { collectionAccess, decide, objectReadRule, RULE_NAMES } from './access-decision';
export type { Action, CollectionAccess, Decision, DenialReason, Missing, ObjectFacts, RuleName, Target } from './access-decision';
export type { TopologyRule } from './group-topology';
export { objectVisibleUnderScope, readScope, reporterScope } from './read-scope';
export { REPORT_TYPES, reportedObjectIds } from './named-readers';
export type { ReadScope } from './read-scope';
export { audienceCovers, commonAudience, readersLost } from './audience';
export { recipientsPreview } from './recipients-preview';
export type { PreviewRecipient, PreviewRequest } from './recipients-preview';
export { republishAllowed } from './republishing';
export type { RepublishDecision } from './republishing';
