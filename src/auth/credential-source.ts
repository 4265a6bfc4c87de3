import type { ApiKeyCredentials, UserCredentials } from '../storage/tenancy-store';

/**
 * The narrow port the authenticator reads credentials through. It is consulted on every request
 * (an indexed lookup), so a password change, a revocation or a disabled user takes effect at once,
 * in every process, whatever the verification cache holds.
 */
export interface CredentialSource {
  userByUsername(username: string): Promise<UserCredentials | undefined>;
  apiKeyById(id: string): Promise<ApiKeyCredentials | undefined>;
}
