// Test-control faults: at the set rate, on the set endpoints, a request gets one of the set
// kinds of failure instead of its answer (README "Autotask sandbox", test controls).
import type { FaultKind } from '../sandboxControls.js';
import { SANDBOX_ERROR_TEXT } from '../sandboxErrorTexts.js';
import type { HttpAnswer } from './sandboxHttp.js';
import type { SandboxRuntime } from './sandboxRuntime.js';

/** The fault this request gets, if any (counted). */
export function pickFault(state: SandboxRuntime, label: string): FaultKind | undefined {
  const { faults } = state;
  if (!faults || faults.rate === 0) return undefined;
  if (faults.endpoints && !faults.endpoints.includes(label)) return undefined;
  if (state.roll() >= faults.rate) return undefined;
  const fault = faults.kinds[Math.floor(state.roll() * faults.kinds.length)]!;
  state.counters.faultsInjected[fault] = (state.counters.faultsInjected[fault] ?? 0) + 1;
  return fault;
}

/** What a fault answers, for the kinds that answer at all (not timeout, commitThenDrop, 502's HTML). */
export function faultAnswer(state: SandboxRuntime, fault: '429' | 'threadLimit500' | '500'): HttpAnswer {
  const threadText = { errors: [`Request rejected: the ${SANDBOX_ERROR_TEXT.threadThreshold}.`] };
  switch (fault) {
    case '429': {
      const retryAfter = state.faults?.retryAfterSeconds;
      return {
        status: 429,
        ...(retryAfter !== undefined ? { headers: { 'Retry-After': String(retryAfter) } } : {}),
        body: threadText,
      };
    }
    case 'threadLimit500':
      return { status: 500, body: threadText };
    case '500':
      return { status: 500, body: { Message: 'An error has occurred.' } };
  }
}
