import type { HubInfo } from '../../config/hub-config';
import type { WorkerRole } from '../../server';

/**
 * How the primary tells a forked process that it is worker `slot` and what the hub config said:
 * one environment variable, set only on the processes the primary forks. A process forked by some
 * other cluster manager (pm2) does not have it and runs as a plain single-process hub.
 */
export const WORKER_ROLE_VARIABLE = 'TAXII_HUB_CLUSTER_WORKER';

export function workerRoleEnv(role: WorkerRole): Record<string, string> {
  return { [WORKER_ROLE_VARIABLE]: JSON.stringify(role) };
}

/** The role the primary gave this process; undefined when it was not forked by a taxii-hub primary. */
export function workerRoleFrom(env: NodeJS.ProcessEnv): WorkerRole | undefined {
  const text = env[WORKER_ROLE_VARIABLE];
  if (text === undefined) return undefined;
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || !Number.isSafeInteger(parsed.slot) || !isHubInfo(parsed.hub)) {
    throw new Error(`${WORKER_ROLE_VARIABLE} is not a worker role written by a taxii-hub primary`);
  }
  return { slot: parsed.slot as number, hub: parsed.hub };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTextOrNull = (v: unknown) => v === null || typeof v === 'string';

function isHubInfo(v: unknown): v is HubInfo {
  return isRecord(v) && typeof v.title === 'string' && isTextOrNull(v.description) && isTextOrNull(v.contact) && isTextOrNull(v.defaultApiRootId);
}
