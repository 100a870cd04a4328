// The test controls over HTTP, under /_sandbox/ (the same as SandboxControls in process).
import { z } from 'zod';
import { isCalendarDate } from '../../core/calendarDate.js';
import {
  FaultSettingsSchema,
  PATCHABLE_FIELDS,
  SandboxPatchSchema,
  ThresholdSettingsSchema,
  type SandboxControls,
} from '../sandboxControls.js';
import type { SandboxAnswer, SandboxDatabase } from '../sandboxDatabase.js';

const bad = (message: string): SandboxAnswer => ({ status: 400, body: { error: 'BAD_REQUEST', message } });
const done: SandboxAnswer = { status: 200, body: { ok: true } };

/** `body` undefined when it was not JSON. */
export function adminRoute(
  controls: SandboxControls,
  database: Pick<SandboxDatabase, 'patch'>,
  action: string,
  method: string,
  body: unknown,
): SandboxAnswer {
  const key = `${method} ${action.replace(/\/+$/, '')}`;
  switch (key) {
    case 'GET counters':
      return { status: 200, body: controls.counters() };
    case 'GET writes':
      return { status: 200, body: controls.writeLog() };
    case 'GET snapshot':
      return { status: 200, body: controls.snapshot() };
    case 'POST reset':
      controls.reset();
      return done;
    case 'POST reset-counters':
      controls.resetCounters();
      return done;
    case 'POST latency': {
      const parsed = z.object({ ms: z.number().int().min(0).max(120_000) }).safeParse(body);
      if (!parsed.success) return bad('send {"ms": <0..120000>}');
      controls.setLatency(parsed.data.ms);
      return done;
    }
    case 'POST faults': {
      const parsed = FaultSettingsSchema.safeParse(body);
      if (!parsed.success)
        return bad(
          'send {"rate": 0.2, "kinds": ["429","threadLimit500","500","502","timeout","commitThenDrop"], "endpoints"?: [...]}',
        );
      controls.setFaults(parsed.data);
      return done;
    }
    case 'POST threshold': {
      const parsed = ThresholdSettingsSchema.safeParse(body);
      if (!parsed.success) return bad('send {"limit"?: n, "atHalfMs"?: ms, "atThreeQuartersMs"?: ms}');
      controls.setThreshold(parsed.data);
      return done;
    }
    case 'POST post-periods': {
      const parsed = z.object({ through: z.string().refine(isCalendarDate) }).safeParse(body);
      if (!parsed.success) return bad('send {"through": "2026-01-31"}');
      controls.postPeriodsThrough(parsed.data.through);
      return done;
    }
    case 'POST patch': {
      const parsed = SandboxPatchSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return bad(
          `SANDBOX_PATCH_INVALID: ${issue.path.join('.') || 'body'}: ${issue.message} — send {"entity":"Contracts","id":100,"fields":{"endDate":"2026-03-31"}}; fields you may change: ${PATCHABLE_FIELDS}`,
        );
      }
      const problem = database.patch(parsed.data);
      if (problem)
        return {
          status: problem.status,
          body: { error: problem.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', message: problem.message },
        };
      return done;
    }
    default:
      return {
        status: 404,
        body: {
          error: 'NOT_FOUND',
          message:
            'Sandbox controls: GET counters|writes|snapshot, POST reset|reset-counters|latency|faults|threshold|post-periods|patch under /_sandbox/',
        },
      };
  }
}
