import { ChartError } from '../../../src/charts/chartError.js';
import {
  CARD_IMAGE_MAX_BYTES,
  CARD_IMAGE_MAX_HEIGHT_PX,
  CARD_IMAGE_MAX_WIDTH_PX,
} from '../../../src/charts/chartImageLimits.js';
import type { QuantityChartData } from '../../../src/charts/quantityChartData.js';
import { renderQuantityChart } from '../../../src/charts/renderQuantityChart.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** the width and height a PNG's IHDR chunk declares (it follows the 8-byte signature) */
function ihdrSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const small: QuantityChartData = {
  title: 'Microsoft 365 Business Premium — Acme',
  from: '2026-01-01',
  to: '2026-06-30',
  series: [
    {
      id: 'source',
      label: 'Subscription (Pax8)',
      kind: 'source',
      points: [
        { date: '2025-12-01', units: 10 },
        { date: '2026-02-10', units: 15 },
      ],
    },
    {
      id: 'line:4711',
      label: 'Autotask line 4711 @ 12.50',
      kind: 'autotask',
      points: [
        { date: '2026-01-01', units: 10 },
        { date: '2026-02-12', units: 15 },
      ],
    },
  ],
  markers: [
    { date: '2026-02-12', kind: 'upload', label: '+5 (run_12)' },
    { date: '2026-03-01', kind: 'price', label: '12.50 → 13.75' },
    { date: '2026-04-01', kind: 'cycle', label: 'monthly → annual' },
  ],
};

function isoDay(start: number, offset: number): string {
  return new Date(start + offset * 86_400_000).toISOString().slice(0, 10);
}

/** 40 series of 300 steps each over three years, and 150 markers */
function large(): QuantityChartData {
  const start = Date.UTC(2024, 0, 1);
  return {
    title: 'A very long title '.repeat(12),
    from: '2024-01-01',
    to: '2026-12-31',
    series: Array.from({ length: 40 }, (_, s) => ({
      id: `line:${s}`,
      label: `Autotask line ${4000 + s} @ ${s}.50 with a rather long service name`,
      kind: s === 0 ? ('source' as const) : ('autotask' as const),
      points: Array.from({ length: 300 }, (_, i) => ({
        date: isoDay(start, i * 3),
        units: (i * 7 + s * 13) % 500,
      })),
    })),
    markers: Array.from({ length: 150 }, (_, i) => ({
      date: isoDay(start, i * 7),
      kind: i % 3 === 0 ? ('upload' as const) : i % 3 === 1 ? ('price' as const) : ('cycle' as const),
      label: `+${i} (run_${i}) and a label longer than fits`,
    })),
  };
}

describe('renderQuantityChart', () => {
  it('returns a PNG whose IHDR declares the width and height it returns', async () => {
    const chart = await renderQuantityChart(small);
    expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(ihdrSize(chart.png)).toEqual({ width: chart.width, height: chart.height });
    expect(chart.width).toBeGreaterThanOrEqual(900);
  });

  it('draws each series label and each marker label into the SVG', async () => {
    const { svg } = await renderQuantityChart(small);
    for (const text of [
      'Subscription (Pax8)',
      'Autotask line 4711 @ 12.50',
      '+5 (run_12)',
      '12.50 → 13.75',
      'monthly → annual',
    ])
      expect(svg).toContain(text);
    expect(svg).toContain('Microsoft 365 Business Premium — Acme');
  });

  it('stays within the card image limits for many series, points and markers', async () => {
    const chart = await renderQuantityChart(large());
    expect(chart.width).toBeLessThanOrEqual(CARD_IMAGE_MAX_WIDTH_PX);
    expect(chart.height).toBeLessThanOrEqual(CARD_IMAGE_MAX_HEIGHT_PX);
    expect(chart.png.length).toBeLessThan(CARD_IMAGE_MAX_BYTES);
    expect(ihdrSize(chart.png)).toEqual({ width: chart.width, height: chart.height });
  });

  it('gives the same bytes for the same input', async () => {
    const a = await renderQuantityChart(small);
    const b = await renderQuantityChart(structuredClone(small));
    expect(b.svg === a.svg).toBe(true);
    expect(b.png.equals(a.png)).toBe(true);
  });

  it('refuses an empty series list with CHART_NO_SERIES', async () => {
    const refused = renderQuantityChart({ ...small, series: [] });
    await expect(refused).rejects.toBeInstanceOf(ChartError);
    await expect(refused).rejects.toMatchObject({ problem: { code: 'CHART_NO_SERIES' } });
  });

  it('refuses a range whose from is after its to with CHART_RANGE_REVERSED', async () => {
    await expect(
      renderQuantityChart({ ...small, from: '2026-07-01', to: '2026-01-01' }),
    ).rejects.toMatchObject({
      problem: { code: 'CHART_RANGE_REVERSED' },
    });
  });

  it('refuses data that does not match the schema with CHART_DATA_INVALID', async () => {
    const bad = { ...small, series: [{ ...small.series[0], points: [{ date: '2026-1-1', units: 1.5 }] }] };
    await expect(renderQuantityChart(bad as QuantityChartData)).rejects.toMatchObject({
      problem: { code: 'CHART_DATA_INVALID' },
    });
  });
});
