// Draws a quantity chart and serves it at a signed, expiring URL (docs/charts.md). One per
// process; `explain` publishes through it, the CLI takes the PNG bytes it returns. `reconcile`
// publishes its CSV the same way.
import { publishArtifact } from '../artifacts/artifactStore.js';
import type { ArtifactLinks } from '../artifacts/artifactLinks.js';
import type { QuantityChartData } from '../charts/quantityChartData.js';
import { renderQuantityChart } from '../charts/renderQuantityChart.js';
import type { Db } from '../db/prismaClient.js';
import type { Logger } from '../observability/logger.js';

export interface ChartPublisher {
  publish(data: QuantityChartData, fileName: string): Promise<{ url: string; png: Buffer }>;
  /** any other file (a reconciliation's CSV) at a signed, expiring URL */
  publishFile(file: { bytes: Buffer; contentType: 'text/csv'; fileName: string }): Promise<{ url: string }>;
  /** a chart that could not be drawn or published: logged, the card goes out without it */
  failed(error: unknown): void;
}

export function createChartPublisher(input: {
  prisma: Db;
  /** asked for on the first chart (the signing key may have to be made in the database) */
  links: () => Promise<ArtifactLinks>;
  logger: Logger;
}): ChartPublisher {
  let links: Promise<ArtifactLinks> | undefined;
  const linksOnce = () =>
    (links ??= input.links().catch((error: unknown) => {
      links = undefined;
      throw error;
    }));
  return {
    async publish(data, fileName) {
      const { png } = await renderQuantityChart(data);
      const published = await publishArtifact(
        input.prisma,
        { bytes: png, contentType: 'image/png', fileName },
        await linksOnce(),
      );
      return { url: published.url, png };
    },
    async publishFile(file) {
      const published = await publishArtifact(input.prisma, file, await linksOnce());
      return { url: published.url };
    },
    failed(error) {
      input.logger.warn({ err: error }, 'a chart could not be drawn or published');
    },
  };
}
