// The one problem type of the project: a stable code a person can look up, what happened, and
// what to do about it. Every refusal, finding, failed operation and job error is one of these;
// it is stored as data (JSON where stored) and turned into words only by `formatProblem`.
// See docs/architecture.md ("Problems").
import { z } from 'zod';

export const ProblemSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an UPPER_SNAKE code'),
  message: z.string(),
  hint: z.string(),
});

/** `Code` narrows the code to the union of the area that raises it. */
export type Problem<Code extends string = string> = { code: Code; message: string; hint: string };

export function problem<Code extends string>(code: Code, message: string, hint: string): Problem<Code> {
  return { code, message, hint };
}

/** `CODE: message — hint`, the one way a problem is written as text (a hint may be empty). */
export function formatProblem(p: Problem): string {
  return `${p.code}: ${p.message}${p.hint ? ` — ${p.hint}` : ''}`;
}
