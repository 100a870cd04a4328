// Teams allows a bot about 7 messages a second per conversation (more and it answers 429). Every
// send and update goes through here: calls to one conversation are queued and spaced so no
// second holds more than the limit, and a 429 is retried after Retry-After (or an exponential
// backoff) a few times before it counts as a failure. Other conversations are not held up.
import { setTimeout as sleep } from 'node:timers/promises';
import { exponentialBackoffMs } from '../../core/backoff.js';
export interface ThrottleOptions {
  perSecond?: number;
  /** retries of a 429 before giving up */
  retries?: number;
  /** first backoff when Teams gives no Retry-After */
  baseBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  nowMs?: () => number;
}

export interface ThrottleStats {
  sent: number;
  throttled429: number;
  /** per conversation, the most calls started within any one second */
  maxPerSecond: Record<string, number>;
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: number; status?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.status ?? e?.response?.status;
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: { get?: (n: string) => string | undefined } } })
    ?.response?.headers;
  const value = headers?.get?.('retry-after');
  const seconds = value ? Number(value) : NaN;
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

export class ConversationThrottle {
  private readonly perSecond: number;
  private readonly retries: number;
  private readonly baseBackoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly nowMs: () => number;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly starts = new Map<string, number[]>();
  readonly stats: ThrottleStats = { sent: 0, throttled429: 0, maxPerSecond: {} };

  constructor(options: ThrottleOptions = {}) {
    this.perSecond = options.perSecond ?? 7;
    this.retries = options.retries ?? 4;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.sleep = options.sleep ?? sleep;
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Runs `call` for a conversation in turn with its other calls, within the rate, retrying 429s. */
  run<T>(conversationId: string, call: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.attempt(conversationId, call));
    this.queues.set(conversationId, next);
    void next
      .catch(() => undefined)
      .then(() => {
        if (this.queues.get(conversationId) === next) this.queues.delete(conversationId);
      });
    return next;
  }

  private async slot(conversationId: string): Promise<void> {
    for (;;) {
      const now = this.nowMs();
      const recent = (this.starts.get(conversationId) ?? []).filter((t) => now - t < 1000);
      if (recent.length < this.perSecond) {
        recent.push(now);
        this.starts.set(conversationId, recent);
        this.stats.maxPerSecond[conversationId] = Math.max(
          this.stats.maxPerSecond[conversationId] ?? 0,
          recent.length,
        );
        return;
      }
      await this.sleep(1000 - (now - recent[0]!) + 1);
    }
  }

  private async attempt<T>(conversationId: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.slot(conversationId);
      try {
        const result = await call();
        this.stats.sent++;
        return result;
      } catch (error) {
        if (statusOf(error) !== 429 || attempt >= this.retries) throw error;
        this.stats.throttled429++;
        const backoff =
          retryAfterMs(error) ?? exponentialBackoffMs(attempt + 1, { firstDelayMs: this.baseBackoffMs });
        await this.sleep(backoff + Math.floor(Math.random() * 100));
      }
    }
  }
}
