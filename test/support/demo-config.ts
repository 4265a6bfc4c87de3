import { BUNDLED_CONFIG_PATH } from '../../src/config/hub-config-path';
import type { HubConfig } from '../../src/config/hub-config';
import { loadHubConfig } from '../../src/config/load-hub-config';
import { reconcileConfig } from '../../src/services/config-reconciler';
import type { TenancyStore } from '../../src/storage/tenancy-store';

/**
 * The bundled demo configuration (collections/README.md): its organizations, users (password
 * `<username>-demo-pw`), trust groups and collections. Its users carry password hashes, so applying
 * it hashes nothing.
 */
export const DEMO_COLLECTIONS = {
  acmeInternal: '948f89cd-d3ab-4b2e-bb60-bdffe702b793',
  isacFeed: '735988d1-ca7e-4645-96dd-38a00e72e2f4',
  allianceExchange: 'd6213043-77da-4b4e-82b6-d9aceb68b6c6',
  initechPrivate: '71c9a6ae-b2d5-4a7d-a4d7-5aeaf89c76e1',
} as const;

export async function loadDemoConfig(): Promise<HubConfig> {
  const loaded = await loadHubConfig(BUNDLED_CONFIG_PATH);
  if (!loaded.ok) throw new Error(`the demo config does not load: ${JSON.stringify(loaded.errors)}`);
  return loaded.config;
}

/** Applies the demo configuration to a store, as `serve` does at start. */
export async function applyDemoConfig(store: TenancyStore): Promise<HubConfig> {
  const config = await loadDemoConfig();
  await reconcileConfig(store, config, { env: {} });
  return config;
}
