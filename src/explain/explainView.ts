// What `explain` answers: the request it reads and the view the card is drawn from.
import type { Problem } from '../core/problem.js';
import type { LineStory } from './lineStory.js';

export interface ExplainRequest {
  customerId: string;
  product: string;
  billingCycle: 'monthly' | 'annual' | null;
}

export interface ExplainView {
  customerId: string;
  customerName: string;
  subscriptionId: string;
  productName: string;
  billingCycle: string;
  story: LineStory;
  /** why the Autotask series is missing, when it is */
  autotaskProblem: Problem | null;
}

export type ExplainOutcome = { ok: true; view: ExplainView } | { ok: false; problem: Problem };
