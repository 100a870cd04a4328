// Artifacts published into a real PostgreSQL and fetched over real HTTP from the shared express app.
import pino from 'pino';
import { artifactLinks, type ArtifactLinks } from '../../../src/artifacts/artifactLinks.js';
import { artifactSigningKey } from '../../../src/artifacts/artifactSigner.js';
import { publishArtifact } from '../../../src/artifacts/artifactStore.js';
import { mountArtifactRoutes } from '../../../src/http/artifactRoutes.js';
import { createHttpApp, finishHttpApp, listen, type HttpServerHandle } from '../../../src/http/httpServer.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const logger = pino({ level: 'silent' });
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
let db: TestDatabase;
let server: HttpServerHandle;
let links: ArtifactLinks;
/** the route's clock; moved forward to see a link expire */
let clock = new Date();

beforeAll(async () => {
  db = await createTestDatabase();
  const app = createHttpApp({ logger, health: [] });
  server = await listen(app, 0, '127.0.0.1');
  links = await artifactLinks(
    db.prisma,
    {
      publicUrl: undefined,
      host: '127.0.0.1',
      port: server.port,
      artifacts: { signingKey: undefined, ttlHours: 168 },
    },
    server.url,
  );
  mountArtifactRoutes(app, { prisma: db.prisma, signer: links.signer, now: () => clock });
  finishHttpApp(app, logger);
});
afterAll(async () => {
  await server.close(100);
  await db.drop();
});
beforeEach(() => {
  clock = new Date();
});

describe('GET /artifacts/:id/:name', () => {
  it('serves a published PNG inline with its type, a private cache life and nosniff', async () => {
    const published = await publishArtifact(
      db.prisma,
      { bytes: PNG, contentType: 'image/png', fileName: 'chart.png' },
      links,
    );
    expect(published.url.startsWith(`${server.url}/artifacts/${published.id}/chart.png?expires=`)).toBe(true);
    const res = await fetch(published.url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="chart.png"');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(res.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(7 * 24 * 3600 - 60);
    expect(maxAge).toBeLessThanOrEqual(7 * 24 * 3600);
  });

  it('serves a CSV as an attachment in UTF-8', async () => {
    const csv = Buffer.from('date,units\n2026-01-01,10\n');
    const published = await publishArtifact(
      db.prisma,
      { bytes: csv, contentType: 'text/csv', fileName: 'history.csv' },
      links,
    );
    const res = await fetch(published.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(csv.toString());
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="history.csv"');
  });

  it('refuses a missing, altered or borrowed signature with 403 and a coded problem', async () => {
    const a = await publishArtifact(
      db.prisma,
      { bytes: PNG, contentType: 'image/png', fileName: 'a.png' },
      links,
    );
    const b = await publishArtifact(
      db.prisma,
      { bytes: PNG, contentType: 'image/png', fileName: 'b.png' },
      links,
    );
    const aUrl = new URL(a.url);
    const unsigned = `${aUrl.origin}${aUrl.pathname}`;
    const later = new URL(a.url);
    later.searchParams.set('expires', String(Number(later.searchParams.get('expires')) + 3600));
    const borrowed = new URL(a.url);
    borrowed.searchParams.set('sig', new URL(b.url).searchParams.get('sig') ?? '');
    for (const url of [unsigned, later.toString(), borrowed.toString()]) {
      const res = await fetch(url);
      expect(res.status).toBe(403);
      const body = (await res.json()) as Record<string, string>;
      expect(body.code).toBe('ARTIFACT_SIGNATURE_INVALID');
      expect(body.message?.length).toBeGreaterThan(0);
      expect(body.hint?.length).toBeGreaterThan(0);
    }
  });

  it('answers 410 once the link has expired', async () => {
    const published = await publishArtifact(
      db.prisma,
      { bytes: PNG, contentType: 'image/png', fileName: 'old.png', ttlMinutes: 5 },
      links,
    );
    clock = new Date(Date.now() + 6 * 60_000);
    const res = await fetch(published.url);
    expect(res.status).toBe(410);
    expect(((await res.json()) as { code: string }).code).toBe('ARTIFACT_EXPIRED');
  });

  it('answers 404 for a validly signed id that is not stored, or the wrong file name', async () => {
    const expires = Math.floor(Date.now() / 1000) + 600;
    const ghost = `${server.url}/artifacts/nothing-here/x.png?expires=${expires}&sig=${links.signer.sign('nothing-here', expires)}`;
    const res = await fetch(ghost);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('ARTIFACT_NOT_FOUND');
    const published = await publishArtifact(
      db.prisma,
      { bytes: PNG, contentType: 'image/png', fileName: 'c.png' },
      links,
    );
    const renamed = published.url.replace('/c.png?', '/d.png?');
    expect((await fetch(renamed)).status).toBe(404);
  });

  it('deletes expired rows when the next artifact is published', async () => {
    const old = await publishArtifact(
      db.prisma,
      { bytes: PNG, contentType: 'image/png', fileName: 'gone.png', ttlMinutes: 1 },
      links,
      new Date(Date.now() - 3_600_000),
    );
    expect(await db.prisma.chatArtifact.count({ where: { id: old.id } })).toBe(1);
    await publishArtifact(db.prisma, { bytes: PNG, contentType: 'image/png', fileName: 'new.png' }, links);
    expect(await db.prisma.chatArtifact.count({ where: { id: old.id } })).toBe(0);
  });
});

describe('the signing key', () => {
  it('is made once and then read back by every caller when ARTIFACT_SIGNING_KEY is unset', async () => {
    const keys = await Promise.all([1, 2, 3].map(() => artifactSigningKey(db.prisma, undefined)));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]!.length).toBeGreaterThanOrEqual(32);
  });

  it('is the configured one when ARTIFACT_SIGNING_KEY is set', async () => {
    expect(await artifactSigningKey(db.prisma, 'k'.repeat(40))).toBe('k'.repeat(40));
  });
});
