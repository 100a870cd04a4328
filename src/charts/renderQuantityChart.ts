// Draws a QuantityChartData as SVG (Vega-Lite compiled to Vega, rendered headless without a
// canvas) and as PNG (resvg, a prebuilt native binary). The font is a TTF shipped in an npm
// package, given to both, so a chart looks the same on every machine and never depends on what
// fonts a server happens to have. docs/charts.md says why these libraries.
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ChartError } from './chartError.js';
import { CARD_IMAGE_MAX_HEIGHT_PX, CARD_IMAGE_MAX_WIDTH_PX } from './chartImageLimits.js';
import { QuantityChartDataSchema, type ChartSeries, type QuantityChartData } from './quantityChartData.js';

const FONT_FAMILY = 'DejaVu Sans';
const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

/** the whole chart's width in SVG units (the PNG is scaled up to the card limit) */
export const CHART_WIDTH = 960;
const PLOT_HEIGHT = 340;
/** legend entries shown; more would push the image past the card limits ("…" says there are more) */
const LEGEND_LIMIT = 24;
/** a marker label longer than this is cut (the card's text has the full story) */
const MARKER_LABEL_MAX = 28;
const MAX_SCALE = 2;

export interface RenderedChart {
  png: Buffer;
  svg: string;
  /** the PNG's pixel size */
  width: number;
  height: number;
}

interface LinePoint {
  date: string;
  units: number;
  series: string;
  kind: ChartSeries['kind'];
}

const MARKER_STYLE = {
  upload: { title: 'upload', dash: [1, 0] },
  price: { title: 'price change', dash: [6, 4] },
  cycle: { title: 'billing cycle', dash: [2, 3] },
} as const;

export async function renderQuantityChart(input: QuantityChartData): Promise<RenderedChart> {
  const data = parseChartData(input);
  const view = new vega.View(vega.parse(compile(chartSpec(data)).spec), { renderer: 'none' });
  const svg = numberClipsFromOne(await view.toSVG());
  view.finalize();
  const { width, height } = svgSize(svg);
  const scale = Math.min(MAX_SCALE, CARD_IMAGE_MAX_WIDTH_PX / width, CARD_IMAGE_MAX_HEIGHT_PX / height);
  const rendered = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  }).render();
  return { png: rendered.asPng(), svg, width: rendered.width, height: rendered.height };
}

function parseChartData(input: unknown): QuantityChartData {
  const parsed = QuantityChartDataSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ChartError(
      'CHART_DATA_INVALID',
      `The chart data is not valid: ${first?.path.join('.') || 'input'}: ${first?.message ?? 'invalid'}.`,
      'Report this: the chart was built from data it cannot draw.',
    );
  }
  const data = parsed.data;
  if (data.series.length === 0)
    throw new ChartError(
      'CHART_NO_SERIES',
      'There is nothing to draw: the chart has no series.',
      'Pick a line that has history.',
    );
  if (data.from > data.to)
    throw new ChartError(
      'CHART_RANGE_REVERSED',
      `The chart's range runs backwards: ${data.from} is after ${data.to}.`,
      'Give the earlier date first.',
    );
  return data;
}

/**
 * One series' steps inside [from, to]: the value in force on `from` starts it, points inside the
 * range follow, and the last value is carried to `to` so the step reaches the right edge.
 */
function stepsInRange(series: ChartSeries, from: string, to: string): LinePoint[] {
  const sorted = [...series.points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const before = sorted.filter((p) => p.date <= from).at(-1);
  const inside = sorted.filter((p) => p.date > from && p.date <= to);
  const steps = [...(before ? [{ date: from, units: before.units }] : []), ...inside];
  const last = steps.at(-1);
  if (last && last.date < to) steps.push({ date: to, units: last.units });
  return steps.map((p) => ({ date: p.date, units: p.units, series: series.label, kind: series.kind }));
}

function shortLabel(text: string): string {
  return text.length <= MARKER_LABEL_MAX ? text : `${text.slice(0, MARKER_LABEL_MAX - 1)}…`;
}

function chartSpec(data: QuantityChartData): TopLevelSpec {
  const labels = data.series.map((s) => s.label);
  const lines = data.series.flatMap((s) => stepsInRange(s, data.from, data.to));
  const markers = data.markers
    .filter((m) => m.date >= data.from && m.date <= data.to)
    .map((m) => ({ date: m.date, kind: MARKER_STYLE[m.kind].title, label: shortLabel(m.label) }));
  const kinds = Object.values(MARKER_STYLE);
  const x = {
    field: 'date',
    type: 'temporal' as const,
    title: null,
    scale: { type: 'utc' as const, domain: [data.from, data.to] },
    axis: { format: '%Y-%m-%d', labelAngle: -30, labelOverlap: true },
  };
  const seriesLayer = (values: LinePoint[], stroke: { strokeWidth: number; opacity: number }) => ({
    data: { values },
    mark: { type: 'line' as const, interpolate: 'step-after' as const, clip: true, ...stroke },
    encoding: {
      x,
      y: {
        field: 'units',
        type: 'quantitative' as const,
        title: 'units',
        scale: { zero: true, nice: true },
        axis: { format: 'd', tickMinStep: 1 },
      },
      color: {
        field: 'series',
        type: 'nominal' as const,
        title: null,
        scale: { domain: labels, scheme: 'tableau10' },
        legend: { orient: 'bottom' as const, columns: 2, symbolLimit: LEGEND_LIMIT, labelLimit: 440 },
      },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: data.title, anchor: 'start', limit: CHART_WIDTH - 20 },
    width: CHART_WIDTH,
    height: PLOT_HEIGHT,
    autosize: { type: 'fit-x', contains: 'padding' },
    background: 'white',
    padding: 12,
    config: { font: FONT_FAMILY, view: { stroke: null } },
    layer: [
      // the source history wide and pale under the Autotask lines, so equal steps stay visible
      seriesLayer(
        lines.filter((p) => p.kind === 'source'),
        { strokeWidth: 6, opacity: 0.45 },
      ),
      seriesLayer(
        lines.filter((p) => p.kind === 'autotask'),
        { strokeWidth: 2, opacity: 1 },
      ),
      ...(markers.length === 0
        ? []
        : [
            {
              data: { values: markers },
              layer: [
                {
                  mark: { type: 'rule' as const, color: '#555555', strokeWidth: 1.5 },
                  encoding: {
                    x,
                    strokeDash: {
                      field: 'kind',
                      type: 'nominal' as const,
                      title: null,
                      scale: { domain: kinds.map((k) => k.title), range: kinds.map((k) => [...k.dash]) },
                      legend: { orient: 'bottom' as const, direction: 'horizontal' as const },
                    },
                  },
                },
                {
                  mark: {
                    type: 'text' as const,
                    angle: -90,
                    align: 'right' as const,
                    baseline: 'bottom' as const,
                    dx: -4,
                    dy: -3,
                    fontSize: 10,
                    color: '#333333',
                  },
                  encoding: { x, y: { value: 0 }, text: { field: 'label', type: 'nominal' as const } },
                },
              ],
            },
          ]),
    ],
  };
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!match) throw new Error('vega produced an SVG without a width and height');
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Vega numbers clip paths from a counter shared by the whole process; renumber them per chart so
 * the same data gives the same SVG (and PNG) however many charts were drawn before. */
function numberClipsFromOne(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\bclip\d+\b/g, (id) => {
    if (!ids.has(id)) ids.set(id, `clip${ids.size + 1}`);
    return ids.get(id) as string;
  });
}
