/** Warning lists ("never block what must not be blocked"): pure checks of normalised indicator values. */

export { INTENTIONAL_PROPERTY, isIntentional, type WarningHit, type WarningLists } from './warning-lists';
export { compileWarningLists, type WarningListProblem, type WarningListsCompilation } from './compile-warning-lists';
export { KINDS_OF_TYPE, type WarningListDefinition, type WarningListEntry, type WarningListType } from './warning-list-definition';
