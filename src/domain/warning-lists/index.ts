/** Warning lists ("never block what must not be blocked"): pure checks of normalised indicator values. */

export { INTENTIONAL_PROPERTY, isIntentional, type WarningHit, type WarningLists } from './warning-lists';
