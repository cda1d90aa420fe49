// Collects Live server messages delivered through the SDK's onmessage callback.
export class Inbox {
  constructor() {
    this.messages = [];
    this.waiters = [];
    this.closeEvent = null;
  }

  callbacks() {
    return {
      onmessage: (message) => {
        this.messages.push(message);
        this.#wake();
      },
      onerror: () => {},
      onclose: (event) => {
        this.closeEvent = event;
        this.#wake();
      },
    };
  }

  #wake() {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves with all messages since `from` up to the first that matches. */
  async until(predicate, { from = 0, timeoutMs = 15_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      for (let i = from; i < this.messages.length; i++) {
        if (predicate(this.messages[i])) {
          return { messages: this.messages.slice(from, i + 1), next: i + 1 };
        }
      }
      if (this.closeEvent) {
        throw new Error(`closed (${this.closeEvent.code} ${this.closeEvent.reason}) before a matching message`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.messages.slice(from)).slice(0, 2000)}`);
      await new Promise((resolve) => {
        const waiter = () => { clearTimeout(timer); this.waiters.splice(this.waiters.indexOf(waiter), 1); resolve(); };
        const timer = setTimeout(waiter, left);
        this.waiters.push(waiter);
      });
    }
  }

  async closed(timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!this.closeEvent) {
      if (Date.now() > deadline) throw new Error('not closed in time');
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.closeEvent;
  }
}

export const transcript = (messages, field) =>
  messages.map((m) => m.serverContent?.[field]?.text ?? '').join('');

export const isTurnComplete = (m) => m.serverContent?.turnComplete === true;
