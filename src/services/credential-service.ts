import type { CredentialSource } from '../auth/credential-source';
import type { TenancyStore } from '../storage/tenancy-store';

/** Credentials for authentication, read from the tenancy store. No permission check: nobody is signed in yet. */
export function createCredentialService(store: TenancyStore): CredentialSource {
  return {
    userByUsername: (username) => store.users.getCredentials(username),
    apiKeyById: (id) => store.apiKeys.getCredentials(id),
  };
}
