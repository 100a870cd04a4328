// Autotask's thread limit: at most 3 requests in flight per endpoint per integration code.
import { endpointKey } from '../../autotask/endpointKey.js';
import { SANDBOX_ERROR_TEXT } from '../sandboxErrorTexts.js';
import type { HttpAnswer } from './sandboxHttp.js';
import type { SandboxRuntime } from './sandboxRuntime.js';

const THREAD_LIMIT = 3;

/** Takes a thread for this request, or refuses; `release` gives it back when the answer is done. */
export function claimThread(
  state: SandboxRuntime,
  integrationCode: string,
  canonicalPath: string,
): { refused: HttpAnswer } | { release: () => void } {
  const key = `${integrationCode}|${endpointKey(canonicalPath)}`;
  const busy = state.inFlight.get(key) ?? 0;
  if (busy >= THREAD_LIMIT) {
    state.counters.threadLimitRefusals++;
    return {
      refused: {
        status: 429,
        body: { errors: [`Request rejected: the ${SANDBOX_ERROR_TEXT.threadThreshold} for this endpoint.`] },
      },
    };
  }
  state.inFlight.set(key, busy + 1);
  state.counters.maxInFlight[key] = Math.max(state.counters.maxInFlight[key] ?? 0, busy + 1);
  return { release: () => state.inFlight.set(key, (state.inFlight.get(key) ?? 1) - 1) };
}
