// The bot's share of the Autotask database's hourly request budget. Autotask allows about
// 10,000 requests per rolling hour for ALL integrations of a partner and slows everyone down
// from 50 %. The bot reads ThresholdInformation, counts its own requests in between, and once
// the database's usage reaches `share × threshold` it waits (polling ThresholdInformation)
// instead of spending the rest; after `maxWaitMs` it gives up with AUTOTASK_HOURLY_LIMIT.
import { AutotaskError } from './autotaskError.js';
import type { ThresholdInformation } from './entities.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface HourlyBudgetOptions {
  /** share of the threshold the bot may use, 0..1 (AUTOTASK_BUDGET_SHARE) */
  share: number;
  /** read ThresholdInformation again after this many of our own requests */
  refreshEveryRequests: number;
  /** and at least this often */
  refreshEveryMs: number;
  /** while over the share, look again this often */
  pollMs: number;
  /** stop waiting after this long and fail */
  maxWaitMs: number;
}

export const DEFAULT_BUDGET_OPTIONS: Omit<HourlyBudgetOptions, 'share'> = {
  refreshEveryRequests: 100,
  refreshEveryMs: 5 * 60_000,
  pollMs: 60_000,
  maxWaitMs: 15 * 60_000,
};

export interface BudgetState {
  threshold: number | null;
  usedAtLastRead: number | null;
  ownSinceLastRead: number;
  ceiling: number | null;
  throttledMs: number;
}

export class HourlyBudget {
  private threshold: number | null = null;
  private usedAtLastRead = 0;
  private ownSinceLastRead = 0;
  private readAt = 0;
  private reading: Promise<void> | undefined;
  private throttledMs = 0;

  constructor(
    private readonly options: HourlyBudgetOptions,
    private readonly readThreshold: () => Promise<ThresholdInformation>,
    private readonly now: () => number = Date.now,
  ) {}

  private ceiling(): number {
    return Math.max(1, Math.floor((this.threshold ?? Infinity) * this.options.share));
  }

  private refresh(): Promise<void> {
    this.reading ??= this.readThreshold()
      .then((info) => {
        this.threshold = info.externalRequestThreshold;
        this.usedAtLastRead = info.currentTimeframeRequestCount;
        this.ownSinceLastRead = 0;
        this.readAt = this.now();
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** Call before each request; resolves when the request may go. */
  async take(): Promise<void> {
    const stale =
      this.threshold === null ||
      this.ownSinceLastRead >= Math.min(this.options.refreshEveryRequests, Math.ceil(this.ceiling() / 10)) ||
      this.now() - this.readAt > this.options.refreshEveryMs;
    if (stale) await this.refresh();
    const started = this.now();
    while (this.usedAtLastRead + this.ownSinceLastRead >= this.ceiling()) {
      const waited = this.now() - started;
      if (waited >= this.options.maxWaitMs) {
        throw new AutotaskError({
          code: 'AUTOTASK_HOURLY_LIMIT',
          message: `The bot has used its share of the Autotask hourly request budget (${this.usedAtLastRead + this.ownSinceLastRead} of ${this.threshold} used, the bot stops at ${this.ceiling()}) and waited ${Math.round(waited / 1000)} s for it to free up.`,
          hint: 'Try again later, or raise AUTOTASK_BUDGET_SHARE if the other integrations of this Autotask database can spare it.',
        });
      }
      const before = this.now();
      await sleep(this.options.pollMs);
      this.throttledMs += this.now() - before;
      await this.refresh();
    }
    this.ownSinceLastRead++;
  }

  state(): BudgetState {
    return {
      threshold: this.threshold,
      usedAtLastRead: this.threshold === null ? null : this.usedAtLastRead,
      ownSinceLastRead: this.ownSinceLastRead,
      ceiling: this.threshold === null ? null : this.ceiling(),
      throttledMs: this.throttledMs,
    };
  }
}
