// A customer's realtime session through the official SDK, plus the bookkeeping a test needs: every server event kept
// in order, waits for the next event of a type with a timeout, and failure messages that say what did arrive.
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';

/** Budget for one turn (a reply, a state change) on a slow 2-core CI machine. */
export const TURN_MS = 30_000;

/** Short, readable summary of an event for failure messages (audio payloads elided). */
export function brief(event) {
  const copy = { ...event };
  if (typeof copy.delta === 'string' && copy.type?.endsWith('audio.delta')) copy.delta = `<${copy.delta.length} base64 chars>`;
  if (copy.session) copy.session = '{…}';
  if (copy.response) copy.response = { id: copy.response.id, status: copy.response.status, status_details: copy.response.status_details };
  const text = JSON.stringify(copy);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export class Conversation {
  /**
   * Opens `wss://<gateway>/v1/realtime?model=<model>` exactly as a customer would: an OpenAI client pointed at the
   * Gateway, the SDK's ws-based realtime class, the development CA trusted through the ws options. Resolves once
   * `session.created` arrived.
   */
  static async open({ model, endpoints, ca, apiKey = endpoints.devApiKey }) {
    const client = new OpenAI({ apiKey, baseURL: `${endpoints.gatewayTls}/v1` });
    const rt = new OpenAIRealtimeWS({ model, options: { ca } }, client);
    const conversation = new Conversation(model, rt);
    try {
      await conversation.opened;
      await conversation.next('session.created');
    } catch (error) {
      rt.socket.terminate();
      throw error;
    }
    return conversation;
  }

  constructor(label, rt) {
    this.label = label;
    this.rt = rt;
    this.events = [];
    this.transportErrors = [];
    this.closed = null;
    this.waiters = new Set();
    this.cursor = 0;

    rt.on('event', (event) => {
      this.events.push(event);
      for (const waiter of [...this.waiters]) waiter.check();
    });
    // The SDK raises error events and transport failures here; without a listener it would throw.
    rt.on('error', (error) => {
      if (!error?.error) this.transportErrors.push(error);
    });
    this.opened = new Promise((ok, fail) => {
      rt.socket.once('open', ok);
      rt.socket.once('error', (error) => fail(new Error(`${this.label}: WebSocket failed to open: ${error.message}`)));
    });
    this.closedPromise = new Promise((ok) => {
      rt.socket.once('close', (code, reason) => {
        this.closed = { code, reason: reason.toString() };
        for (const waiter of [...this.waiters]) waiter.check();
        ok(this.closed);
      });
    });
  }

  send(event) {
    this.rt.send(event);
  }

  /** Index just past the last event so far: a starting point for waitFor / ofType. */
  mark() {
    return this.events.length;
  }

  ofType(type, since = 0) {
    return this.events.slice(since).filter((e) => e.type === type);
  }

  errorEvents(since = 0) {
    return this.ofType('error', since);
  }

  /**
   * Resolves with the first event of `type` at index >= `since` that satisfies `where`. Rejects at once with the
   * error event if an `error` event arrives at or after `since` first (unless `allowErrors`), if the socket closes,
   * or after `timeoutMs`.
   */
  waitFor(type, { since = 0, where = () => true, timeoutMs = TURN_MS, allowErrors = false } = {}) {
    return new Promise((resolveEvent, reject) => {
      const waiter = {
        check: () => {
          for (let i = since; i < this.events.length; i++) {
            const e = this.events[i];
            if (e.type === type && where(e)) {
              finish();
              this.cursor = Math.max(this.cursor, i + 1);
              resolveEvent(e);
              return;
            }
            if (e.type === 'error' && type !== 'error' && !allowErrors) {
              finish();
              reject(new Error(`${this.label}: error event while waiting for ${type}: ${brief(e)}\n${this.describe()}`));
              return;
            }
          }
          if (this.closed) {
            finish();
            reject(new Error(`${this.label}: connection closed (${this.closed.code} ${this.closed.reason}) while waiting for ${type}.\n${this.describe()}`));
          }
        },
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.label}: no ${type} within ${timeoutMs / 1000} s.\n${this.describe()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  /** The next event of `type` after the previous next()/waitFor() result. */
  next(type, options = {}) {
    return this.waitFor(type, { since: this.cursor, ...options });
  }

  /** What arrived, for failure messages. */
  describe(last = 12) {
    const recent = this.events.slice(-last).map((e) => `    ${brief(e)}`).join('\n');
    const errors = this.errorEvents().map((e) => `    ${brief(e)}`).join('\n');
    return [
      `  ${this.events.length} events; last ${Math.min(last, this.events.length)}:`,
      recent || '    (none)',
      errors ? `  error events:\n${errors}` : '',
      this.transportErrors.length ? `  transport errors: ${this.transportErrors.map((e) => e.message).join('; ')}` : '',
      this.closed ? `  closed: ${this.closed.code} ${this.closed.reason}` : '',
    ].filter(Boolean).join('\n');
  }

  /** Closes the socket and waits (briefly) for the close handshake. */
  async close() {
    if (!this.closed) {
      this.rt.close();
      await Promise.race([this.closedPromise, new Promise((r) => setTimeout(r, 5_000))]);
    }
    for (const waiter of [...this.waiters]) waiter.check();
  }
}
