// What a quantity-over-time chart shows, independent of how it is drawn: step series (a value
// holds from its date until the next point) and dated markers. `explain` builds it from the
// subscription's history, the Autotask units timeline and the ledger; tests check this data
// against the history, the renderer only draws it.
import { z } from 'zod';

const CalendarDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const ChartPointSchema = z.object({
  /** YYYY-MM-DD: the value holds from this day until the next point's */
  date: CalendarDateSchema,
  units: z.number().int(),
});
export type ChartPoint = z.infer<typeof ChartPointSchema>;

export const ChartSeriesSchema = z.object({
  /** stable id, e.g. `source` or `line:4711` (one colour per series) */
  id: z.string().min(1),
  /** legend text, e.g. `Subscription (Pax8)` or `Autotask line 4711 @ 12.50` */
  label: z.string().min(1),
  /** source history, or units in force on an Autotask line */
  kind: z.enum(['source', 'autotask']),
  points: z.array(ChartPointSchema),
});
export type ChartSeries = z.infer<typeof ChartSeriesSchema>;

export const ChartMarkerSchema = z.object({
  date: CalendarDateSchema,
  /** an uploaded operation, a price change (old line → new line), a billing-cycle move */
  kind: z.enum(['upload', 'price', 'cycle']),
  /** short text, e.g. `+5 (run_12)` or `12.50 → 13.75` */
  label: z.string(),
});
export type ChartMarker = z.infer<typeof ChartMarkerSchema>;

export const QuantityChartDataSchema = z.object({
  title: z.string(),
  /** the axis runs from `from` to `to` (YYYY-MM-DD, inclusive) */
  from: CalendarDateSchema,
  to: CalendarDateSchema,
  series: z.array(ChartSeriesSchema),
  markers: z.array(ChartMarkerSchema),
});
export type QuantityChartData = z.infer<typeof QuantityChartDataSchema>;
