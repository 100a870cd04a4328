// Forgiving customer resolution: `acme` finds "Acme Corporation". Exact id, external id, domain
// or normalised name wins; otherwise a unique prefix or word match; several matches are listed
// back to the person instead of guessing.
import { normaliseName, simplifyName, type CustomerResolution } from '../subscriptions/customerResolution.js';
import type { Db } from '../db/prismaClient.js';

const MAX_CANDIDATES = 10;

export async function resolveCustomer(db: Db, query: string): Promise<CustomerResolution> {
  const text = query.trim();
  if (!text) return { kind: 'none', query };
  const direct = await db.customer.findFirst({
    where: { OR: [{ id: text }, { externalId: text }, { domain: { equals: text, mode: 'insensitive' } }] },
    select: { id: true, name: true },
  });
  if (direct) return { kind: 'found', customer: direct };

  const simple = simplifyName(text);
  const normal = normaliseName(text);
  if (!simple) return { kind: 'none', query };
  const firstWord = (normal || simple).split(' ')[0]!;
  // the database narrows by the first word; the exact rules run here on the few rows left
  const rows = await db.customer.findMany({
    where: { name: { contains: firstWord, mode: 'insensitive' } },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
    take: 500,
  });
  const scored = rows.map((row) => ({
    row,
    simple: simplifyName(row.name),
    normal: normaliseName(row.name),
  }));
  // from most to least certain; the first rule that matches anything decides
  const tiers = [
    scored.filter((s) => s.simple === simple),
    scored.filter((s) => s.simple.startsWith(simple)),
    scored.filter((s) => normal !== '' && s.normal === normal),
    scored.filter((s) => ` ${s.simple} `.includes(` ${simple} `)),
    scored.filter((s) => s.simple.includes(simple)),
  ];
  for (const tier of tiers) {
    if (tier.length === 1) return { kind: 'found', customer: tier[0]!.row };
    if (tier.length > 1)
      return { kind: 'ambiguous', query, candidates: tier.slice(0, MAX_CANDIDATES).map((s) => s.row) };
  }
  return { kind: 'none', query };
}
