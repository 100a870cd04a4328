// Draws a quantity chart and serves it at a signed, expiring URL (docs/charts.md). One per
// process; `explain` publishes through it, the CLI takes the PNG bytes it returns.
import type { QuantityChartData } from '../charts/quantityChartData.js';

export interface ChartPublisher {
  publish(data: QuantityChartData, fileName: string): Promise<{ url: string; png: Buffer }>;
  /** a chart that could not be drawn or published: logged, the card goes out without it */
  failed(error: unknown): void;
}
