/**
 * Secrets every hub process must share (hub_secrets), such as the key that signs TAXII `next`
 * tokens: a token minted by one process, or before a restart, must verify on any other.
 */
export interface SecretStore {
  /**
   * The secret named `name`. The first caller anywhere stores `create()`'s value; a concurrent
   * first caller in another process loses the race and both get the one value stored.
   */
  getOrCreate(name: string, create: () => string): Promise<string>;
}
