import perfHooks from 'node:perf_hooks';
import { TestEnvironment } from 'jest-environment-node';

/**
 * jest's node environment, plus one piece of teardown: what a test file's code registered with Node
 * itself and never released is released when the file ends. A jest worker runs test file after test
 * file in one process, and Node's own modules are shared by all of them, so such a registration
 * outlives its file, keeps running, and keeps the file's whole module registry alive.
 *
 * The one known case is prom-client's default metrics (collectDefaultMetrics, in every app's
 * createMetrics): a PerformanceObserver of garbage collections and an event-loop delay monitor,
 * which a hub process keeps for its life. Unreleased, every app a test file made ran a callback on
 * every garbage collection and sampled the event loop every 10 ms until the worker exited, and the
 * worker's heap grew by the file's modules each time (slower collections, and a worker so large that
 * it could not exit within jest's grace period: "A worker process has failed to exit gracefully").
 */

/** What the running test file registered, kept on perf_hooks itself (one object per process). */
const TRACKING = Symbol.for('taxii-hub.test-environment.tracking');
const hooks = perfHooks as typeof perfHooks & { [TRACKING]?: { current: Set<() => void> | undefined } };

function tracking(): { current: Set<() => void> | undefined } {
  if (hooks[TRACKING] === undefined) {
    const state: { current: Set<() => void> | undefined } = { current: undefined };
    hooks[TRACKING] = state;
    const observe = perfHooks.PerformanceObserver.prototype.observe;
    perfHooks.PerformanceObserver.prototype.observe = function observeTracked(this: perfHooks.PerformanceObserver, ...args: Parameters<typeof observe>) {
      state.current?.add(() => this.disconnect());
      return observe.apply(this, args);
    };
    const monitorEventLoopDelay = perfHooks.monitorEventLoopDelay;
    perfHooks.monitorEventLoopDelay = function monitorTracked(...args: Parameters<typeof monitorEventLoopDelay>) {
      const histogram = monitorEventLoopDelay(...args);
      state.current?.add(() => histogram.disable());
      return histogram;
    };
  }
  return hooks[TRACKING];
}

export default class HubTestEnvironment extends TestEnvironment {
  override async setup(): Promise<void> {
    tracking().current = new Set();
    await super.setup();
  }

  override async teardown(): Promise<void> {
    const state = tracking();
    const releases = state.current ?? new Set();
    state.current = undefined;
    for (const release of releases) release();
    await super.teardown();
  }
}
