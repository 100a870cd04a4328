// Why a chart cannot be drawn: its data is not what QuantityChartData promises. The caller turns
// the problem into an answer; nothing here throws a bare Error at a person.
import { problem, type Problem } from '../core/problem.js';

export type ChartProblemCode =
  /** the data does not match the schema (a bad date, a fractional unit count, a missing label) */
  | 'CHART_DATA_INVALID'
  /** no series to draw */
  | 'CHART_NO_SERIES'
  /** the range runs backwards: `from` is after `to` */
  | 'CHART_RANGE_REVERSED';

export class ChartError extends Error {
  readonly problem: Problem<ChartProblemCode>;
  constructor(code: ChartProblemCode, message: string, hint: string) {
    super(`${code}: ${message}`);
    this.name = 'ChartError';
    this.problem = problem(code, message, hint);
  }
}

export function isChartError(error: unknown): error is ChartError {
  return error instanceof ChartError;
}
