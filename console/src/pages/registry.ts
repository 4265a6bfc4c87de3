import type { ComponentType } from 'preact';
import type { Catalog } from '../i18n';
import type { Role } from '../session';
import { trustMapMessages } from './trust-map/messages';
import { TrustMapPage } from './trust-map/trust-map-page';
import { shareMessages } from './share/messages';
import { SharePage } from './share/share-page';
import { indicatorsMessages } from './indicators/messages';
import { IndicatorsPage } from './indicators/indicators-page';
import { collectionsMessages } from './collections/messages';
import { CollectionsPage } from './collections/collections-page';
import { analysisMessages } from './analysis/messages';
import { AnalysisPage } from './analysis/analysis-page';
import { administrationMessages } from './administration/messages';
import { AdministrationPage } from './administration/administration-page';
import { deliveriesMessages } from './deliveries/messages';
import { DeliveriesPage } from './deliveries/deliveries-page';

/**
 * The console's pages, one line each: the hash path (#/<path>), the page's message catalog and the
 * key of its navigation label (also the page's heading), the component, and the roles that see it
 * (in the navigation, and at its address). The first page a role sees is its start page.
 * A page renders below the shell's <h1>, which gets the focus when the page is opened.
 */
export interface PageEntry {
  readonly path: string;
  readonly messages: Catalog;
  readonly navKey: string;
  readonly component: ComponentType;
  readonly roles: readonly Role[];
}

export const ALL_ROLES: readonly Role[] = ['operator', 'org-admin', 'provider', 'consumer'];

export const PAGES: readonly PageEntry[] = [
  { path: 'trust-map', messages: trustMapMessages, navKey: 'nav', component: TrustMapPage, roles: ALL_ROLES },
  { path: 'collections', messages: collectionsMessages, navKey: 'nav', component: CollectionsPage, roles: ALL_ROLES },
  { path: 'share', messages: shareMessages, navKey: 'nav', component: SharePage, roles: ['provider'] },
  { path: 'indicators', messages: indicatorsMessages, navKey: 'nav', component: IndicatorsPage, roles: ALL_ROLES },
  { path: 'analysis', messages: analysisMessages, navKey: 'nav', component: AnalysisPage, roles: ALL_ROLES },
  // Everyone reads the feeds and streams; org-admins and operators also manage the pushed deliveries.
  { path: 'deliveries', messages: deliveriesMessages, navKey: 'nav', component: DeliveriesPage, roles: ALL_ROLES },
  { path: 'administration', messages: administrationMessages, navKey: 'nav', component: AdministrationPage, roles: ['operator', 'org-admin'] },
];

export function pagesFor(roles: readonly Role[]): PageEntry[] {
  return PAGES.filter((page) => page.roles.some((role) => roles.includes(role)));
}
