import { readScope, type CompiledPolicy } from '../../access';
import { hubError, isHubError } from '../../domain/errors';
import type { ChangeFeedService, ChangeRead } from '../delivery/change-feed/change-feed-service';
import { collectionNamedIfAny } from '../collection-names';
import type { PolicyService } from '../policy-service';
import type { ChangeSignals, StreamBroker } from './stream-contract';
import { deliverPage, isAccessEvent, recordStreamPoll, type Group, type Member, type PageDeps } from './stream-member';
import type { StreamEnd, StreamMetrics } from './stream-metrics';
import { parseResumeId } from './stream-resume';
import { DEFAULT_STREAM_SETTINGS, StreamCaps, type StreamSettings } from './stream-settings';
import type { PollRecorder } from '../poll-marks/poll-recorder';

/**
 * The live stream's broker (issue 13 §4). Every stream first catches up on its own (from its
 * resume point, at its client's pace), then joins the shared reader of its (collection, audience):
 * one change-feed read per change, written to every member. Readers are woken by the change
 * notifier (writes in this process, the expiry scheduler) and by a check of each streamed
 * collection's clock every `pollMs` (writes by other hub processes on PostgreSQL).
 *
 * Access is the change feed's: every read is made as a member's principal with what it may read
 * now. The compiled policy is watched: a member whose audience changed leaves its reader and reads
 * on its own from where it stands, so the change feed gives it the access-lost / access-gained
 * events first; one that may no longer read the collection gets `access-revoked` and is closed.
 * What the routes and the composition see of it: ./stream-contract.ts.
 */

export type { ChangeSignals, OpenedStream, StreamBroker, StreamRequest } from './stream-contract';

export interface StreamBrokerDeps {
  readonly changeFeed: ChangeFeedService;
  /** The collection clock (ChangeFeedStore.lastPosition). */
  readonly lastPosition: (collectionId: string) => Promise<number>;
  readonly policy: Pick<PolicyService, 'current'>;
  readonly changes?: ChangeSignals;
  readonly metrics?: StreamMetrics;
  readonly logger: { warn(details: object, message: string): void };
  readonly settings?: Partial<StreamSettings>;
  /** Told where each stream stands on every heartbeat and when it ends (last poll and lag). */
  readonly polls?: Pick<PollRecorder, 'polled'>;
}

const isAccessError = (error: unknown) => isHubError(error) && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN' || error.code === 'AUTHENTICATION_REQUIRED');

export function createStreamBroker(deps: StreamBrokerDeps): StreamBroker {
  const settings: StreamSettings = { ...DEFAULT_STREAM_SETTINGS, ...deps.settings };
  const feed = deps.changeFeed;
  const caps = new StreamCaps(settings);
  const members = new Set<Member>();
  const groups = new Map<string, Group>();
  const knownClock = new Map<string, number>();
  let lastPolicy: CompiledPolicy | undefined;
  let closing = false;
  let timers: { poll: NodeJS.Timeout; heartbeat: NodeJS.Timeout } | undefined;
  let ticking = false;
  const unsubscribe = deps.changes?.subscribe((collectionId) => wakeCollection(collectionId));

  const report = () => {
    deps.metrics?.openStreams.set(members.size);
    deps.metrics?.streamReaders.set(groups.size);
  };

  function startTimers(): void {
    if (timers !== undefined) return;
    const poll = setInterval(() => void tick(), settings.pollMs);
    const heartbeat = setInterval(heartbeats, settings.heartbeatMs);
    poll.unref();
    heartbeat.unref();
    timers = { poll, heartbeat };
  }

  function stopTimersWhenIdle(): void {
    if (members.size > 0 || timers === undefined) return;
    clearInterval(timers.poll);
    clearInterval(timers.heartbeat);
    timers = undefined;
  }

  function end(member: Member, reason: StreamEnd): void {
    if (member.closed) return;
    member.closed = true;
    if (reason !== 'access-revoked') recordStreamPoll(deps.polls, member, positionOf);
    const group = member.group;
    group?.members.delete(member);
    if (group !== undefined) forgetWhenIdle(group);
    member.sink?.end();
    members.delete(member);
    caps.release(member.capKey);
    deps.metrics?.endedStreams.inc({ reason });
    stopTimersWhenIdle();
    report();
  }

  function revoke(member: Member): void {
    if (member.closed) return;
    member.sink?.send({ kind: 'access-revoked', collectionId: member.collectionId });
    end(member, 'access-revoked');
  }

  function fail(member: Member, error: unknown): void {
    if (member.closed) return;
    if (isAccessError(error)) {
      revoke(member);
      return;
    }
    deps.logger.warn({ err: error, collectionId: member.collectionId }, 'a stream could not read the change feed; it was closed (the client resumes with Last-Event-ID)');
    end(member, 'error');
  }

  /** The position a cursor names (-1 when it does not verify, which the feed would refuse anyway). */
  function positionOf(collectionId: string, cursor: string): number {
    const reading = feed.decodeCursor(collectionId, cursor);
    return reading.ok ? reading.position : -1;
  }
  const pageDeps: PageDeps = { maxBufferedBytes: settings.maxBufferedBytes, positionOf, slow: (member) => end(member, 'slow') };

  /** Reads on its own until the end of the feed; `pace` as in deliverPage. */
  async function catchUp(member: Member, pace: 'wait' | 'bounded', first?: ChangeRead): Promise<void> {
    let page = first;
    for (;;) {
      if (member.closed) return;
      const from = member.cursor;
      page ??= await feed.read(member.reader, member.collectionId, from === '' ? undefined : from, settings.pageSize);
      await deliverPage(member, from, page, pace, pageDeps);
      if (!page.more) return;
      page = undefined;
    }
  }

  function audienceKey(policy: CompiledPolicy, member: Member): string | undefined {
    const scope = readScope(policy, member.reader, member.collectionId);
    return scope.kind === 'none' ? undefined : `${member.collectionId}\u0000${JSON.stringify(scope)}`;
  }

  /** Catches up on its own, then joins its audience's shared reader. */
  async function run(member: Member, first?: ChangeRead): Promise<void> {
    try {
      await catchUp(member, 'wait', first);
      if (member.closed) return;
      const key = audienceKey(await deps.policy.current(), member);
      if (key === undefined) {
        revoke(member);
        return;
      }
      let group = groups.get(key);
      if (group === undefined) {
        group = { key, collectionId: member.collectionId, members: new Set(), queue: Promise.resolve(), pumpQueued: false, joining: 0, dissolved: false };
        groups.set(key, group);
        report();
      }
      const joining = group;
      joining.joining += 1;
      enqueue(joining, async () => {
        joining.joining -= 1;
        if (joining.dissolved) {
          void run(member); // its reader went away while it waited: start over
          return;
        }
        try {
          // The last stretch in the reader's turn: nothing the reader read before is missed.
          await catchUp(member, 'bounded');
        } catch (error) {
          fail(member, error);
        }
        if (member.closed) return;
        // Its cursor says it has everything up to that position: the reader's pages may start earlier.
        member.seenThrough = Math.max(member.seenThrough, positionOf(member.collectionId, member.cursor));
        joining.cursor ??= member.cursor;
        joining.members.add(member);
        member.group = joining;
      });
    } catch (error) {
      fail(member, error);
    }
  }

  function enqueue(group: Group, task: () => Promise<void>): void {
    group.queue = group.queue
      .then(task)
      .catch((error: unknown) => deps.logger.warn({ err: error, collectionId: group.collectionId }, 'a shared stream reader failed'))
      .finally(() => forgetWhenIdle(group));
  }

  function forgetWhenIdle(group: Group): void {
    if (group.members.size === 0 && group.joining === 0 && !group.pumpQueued && groups.get(group.key) === group) forget(group);
  }

  function forget(group: Group): void {
    group.dissolved = true;
    groups.delete(group.key);
    if (![...groups.values()].some((g) => g.collectionId === group.collectionId)) knownClock.delete(group.collectionId);
    report();
  }

  /** Every member reads on its own again (from where it stands) and finds its reader anew. */
  function dissolve(group: Group): void {
    if (groups.get(group.key) === group) forget(group);
    group.dissolved = true;
    for (const member of [...group.members]) {
      group.members.delete(member);
      member.group = undefined;
      void run(member);
    }
  }

  function wake(group: Group): void {
    if (group.pumpQueued || group.dissolved) return;
    group.pumpQueued = true;
    enqueue(group, async () => {
      group.pumpQueued = false;
      await pump(group);
    });
  }

  function wakeCollection(collectionId: string): void {
    for (const group of groups.values()) if (group.collectionId === collectionId) wake(group);
  }

  /** The shared read: once per page, written to every member. */
  async function pump(group: Group): Promise<void> {
    for (;;) {
      const live = [...group.members].filter((m) => !m.closed);
      const representative = live[0];
      if (representative === undefined || group.cursor === undefined || group.dissolved) return;
      const from = group.cursor;
      let page: ChangeRead;
      try {
        page = await feed.read(representative.reader, group.collectionId, from, settings.pageSize);
      } catch (error) {
        if (isAccessError(error)) dissolve(group); // each member learns its own fate
        else {
          deps.logger.warn({ err: error, collectionId: group.collectionId }, 'a shared stream reader could not read the change feed; it tries again at the next check');
          knownClock.delete(group.collectionId); // the next clock check wakes it whatever the clock says
        }
        return;
      }
      // The audience changed between the policy check and the read: each member sorts out its own.
      if (page.events.some(isAccessEvent)) {
        dissolve(group);
        return;
      }
      for (const member of live) await deliverPage(member, from, page, 'bounded', pageDeps);
      group.cursor = page.cursor;
      if (!page.more) return;
    }
  }

  /** Members whose audience changed leave their reader (it catches up on its own, then rejoins). */
  function recheck(policy: CompiledPolicy): void {
    for (const group of [...groups.values()]) {
      enqueue(group, async () => {
        for (const member of [...group.members]) {
          if (audienceKey(policy, member) === group.key) continue;
          group.members.delete(member);
          member.group = undefined;
          void run(member);
        }
      });
    }
  }

  async function tick(): Promise<void> {
    if (ticking || closing) return;
    ticking = true;
    try {
      const policy = await deps.policy.current();
      if (policy !== lastPolicy) {
        if (lastPolicy !== undefined) recheck(policy);
        lastPolicy = policy;
      }
      const collections = new Set([...groups.values()].map((g) => g.collectionId));
      for (const collectionId of collections) {
        const clock = await deps.lastPosition(collectionId);
        if (knownClock.get(collectionId) === clock) continue;
        knownClock.set(collectionId, clock);
        wakeCollection(collectionId);
      }
    } catch (error) {
      deps.logger.warn({ err: error }, 'checking the streamed collections for changes failed; the next check tries again');
    } finally {
      ticking = false;
    }
  }

  function heartbeats(): void {
    for (const member of [...members]) {
      if (member.sink === undefined || member.closed) continue;
      const buffered = member.sink.send({ kind: 'heartbeat' });
      recordStreamPoll(deps.polls, member, positionOf);
      if (member.group !== undefined && buffered > settings.maxBufferedBytes) end(member, 'slow');
    }
  }

  return {
    settings,

    async open(request) {
      if (closing) throw shuttingDown();
      let capKey: string;
      try {
        capKey = caps.reserve(request.reader);
      } catch (error) {
        deps.metrics?.refusedStreams.inc();
        throw error;
      }
      try {
        lastPolicy ??= await deps.policy.current();
        const { reader } = request;
        // Named by id or alias, as in TAXII; the change feed's answer covers a name that names nothing.
        const collectionId = collectionNamedIfAny(await deps.policy.current(), request.collectionId, { who: reader })?.collection.id ?? request.collectionId;
        let cursor: string;
        let seenThrough = -1;
        let first: ChangeRead | undefined;
        if (request.start.kind === 'now') {
          cursor = await feed.currentCursor(reader, collectionId);
        } else {
          const point = request.start.kind === 'after' ? parseResumeId(request.start.lastEventId) : undefined;
          first = await feed.read(reader, collectionId, point === undefined || point.cursor === '' ? undefined : point.cursor, settings.pageSize);
          cursor = point?.cursor ?? '';
          seenThrough = point?.seenThrough ?? -1;
        }
        const member: Member = { reader, collectionId, filters: request.filters, capKey, cursor, seenThrough, closed: false };
        members.add(member);
        startTimers();
        report();
        return {
          attach(sink) {
            if (member.closed) return;
            member.sink = sink;
            void run(member, first);
          },
          cancel: () => end(member, 'client'),
        };
      } catch (error) {
        caps.release(capKey);
        throw error;
      }
    },

    openCount: () => members.size,
    credentialsChanged(owner) {
      for (const member of [...members]) {
        if ('userId' in owner ? member.reader.userId === owner.userId : member.reader.apiKeyId === owner.apiKeyId) end(member, 'credentials');
      }
    },
    stats: () => ({ open: members.size, readers: groups.size, joined: [...groups.values()].reduce((sum, g) => sum + g.members.size, 0) }),

    async close() {
      closing = true;
      unsubscribe?.();
      for (const member of [...members]) end(member, 'shutdown');
      if (timers !== undefined) {
        clearInterval(timers.poll);
        clearInterval(timers.heartbeat);
        timers = undefined;
      }
      await Promise.all([...groups.values()].map((g) => g.queue));
    },
  };
}

function shuttingDown() {
  return hubError('TOO_MANY_REQUESTS', { description: 'The hub is shutting down; reconnect shortly', retryAfter: 1 });
}
