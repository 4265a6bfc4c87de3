/**
 * The running hub to talk to (--url or HUB_URL) and the Authorization header of its credentials:
 * HUB_API_KEY, or --login/HUB_USER with HUB_PASSWORD. Undefined without a URL (work on the database).
 * Apart from admin-connection.ts (which opens databases) so that `taxii-hub match` loads nothing of
 * the hub itself.
 */
export function remoteHub(options: { readonly url?: string; readonly login?: string }, env: NodeJS.ProcessEnv = process.env): { url: string; authorization: string } | undefined {
  const url = options.url ?? env.HUB_URL;
  if (!url) return undefined;
  const user = options.login ?? env.HUB_USER;
  if (user) {
    if (env.HUB_PASSWORD === undefined) throw new Error('set HUB_PASSWORD to the password of --login');
    return { url, authorization: `Basic ${Buffer.from(`${user}:${env.HUB_PASSWORD}`).toString('base64')}` };
  }
  if (env.HUB_API_KEY) return { url, authorization: `Bearer ${env.HUB_API_KEY}` };
  throw new Error('with --url, set HUB_API_KEY, or give --login (or HUB_USER) and HUB_PASSWORD');
}

