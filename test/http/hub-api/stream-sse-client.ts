import http from 'node:http';

/**
 * A small EventSource-like client for tests: one HTTP GET, its body parsed as text/event-stream the
 * way the WHATWG HTML standard (§9.2.6) says a user agent does: lines end at CRLF, LF or CR; a line
 * starting with ':' is a comment; `field: value` (one leading space dropped); `data` lines joined
 * with '\n'; a blank line dispatches the event (none when no data was given); `id` sets the last
 * event id, which stays for later events that carry none.
 */

export interface SseEvent {
  readonly type: string;
  readonly data: string;
  /** The last event id when the event was dispatched. */
  readonly lastEventId: string;
}

export interface SseConnection {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The body of a refusal (when status is not 200). */
  readonly body: string;
  readonly events: SseEvent[];
  readonly comments: string[];
  /** The last `retry:` value seen. */
  readonly retry: number | undefined;
  readonly lastEventId: string;
  /** Resolves once the server ended the response (or the connection closed). */
  readonly ended: Promise<void>;
  /** Resolves with the first `count` events (waits for them). */
  waitForEvents(count: number): Promise<SseEvent[]>;
  /** Resolves once `predicate` holds for the events and comments seen (checked at every new one). */
  waitFor(predicate: (connection: SseConnection) => boolean): Promise<void>;
  /** Stops reading from the socket (the server's buffers fill) / reads again. */
  pause(): void;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters: { check: () => boolean; done: () => void }[] = [];
      let retry: number | undefined;
      let lastEventId = '';
      let body = '';
      let pending = '';
      let type = '';
      let data: string[] = [];
      let hasData = false;
      let endedResolve: () => void = () => {};
      const ended = new Promise<void>((r) => (endedResolve = r));

      const settle = () => {
        for (const waiter of [...waiters]) {
          if (waiter.check()) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.done();
          }
        }
      };
      const line = (text: string) => {
        if (text === '') {
          if (hasData) events.push({ type: type === '' ? 'message' : type, data: data.join('\n'), lastEventId });
          type = '';
          data = [];
          hasData = false;
          return;
        }
        if (text.startsWith(':')) {
          comments.push(text.slice(1).trimStart());
          return;
        }
        const colon = text.indexOf(':');
        const name = colon < 0 ? text : text.slice(0, colon);
        let value = colon < 0 ? '' : text.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (name === 'event') type = value;
        else if (name === 'data') {
          data.push(value);
          hasData = true;
        } else if (name === 'id' && !value.includes('\u0000')) lastEventId = value;
        else if (name === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      };

      const connection: SseConnection = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        get body() {
          return body;
        },
        events,
        comments,
        get retry() {
          return retry;
        },
        get lastEventId() {
          return lastEventId;
        },
        ended,
        waitForEvents: (count) => connection.waitFor((c) => c.events.length >= count).then(() => events.slice(0, count)),
        waitFor: (predicate) =>
          new Promise<void>((done, fail) => {
            if (predicate(connection)) {
              done();
              return;
            }
            const waiter = { check: () => predicate(connection), done };
            waiters.push(waiter);
            void ended.then(() => {
              if (waiters.includes(waiter)) fail(new Error(`the stream ended first; events: ${JSON.stringify(events.map((e) => e.type))}`));
            });
          }),
        pause: () => res.socket.pause(),
        close: () => req.destroy(),
      };

      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (res.statusCode !== 200) {
          body += chunk;
          return;
        }
        pending += chunk;
        // A CR at the very end may be the first half of a CRLF: keep it for the next chunk.
        const parts = pending.split(/\r\n|\n|\r(?!$)/);
        pending = parts.pop() ?? '';
        for (const part of parts) line(part);
        settle();
      });
      const finish = () => {
        endedResolve();
        settle();
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      if (res.statusCode === 200) resolve(connection);
      else res.on('end', () => resolve(connection));
    });
    req.on('error', reject);
  });
}
