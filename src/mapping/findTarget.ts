// "<id or name>" as people type it → one Autotask company or service, or a coded refusal that
// lists what they may have meant.
import type { Company, Service } from '../autotask/entities.js';
import { refusal, type MappingRefusal } from './mappingFinding.js';
import { matchCompany } from './matchCompany.js';
import { matchService, type PeriodWanted } from './matchService.js';
import { periodForCycle, serviceLabel, servicePeriod } from './servicePeriod.js';
import { normaliseCompanyName, normaliseServiceName } from './normaliseName.js';

function didYouMean(candidates: Array<{ id: number; name: string }>): string {
  return candidates.length > 0
    ? `did you mean ${candidates.map((c) => `${c.id} "${c.name}"`).join(', ')}? `
    : '';
}

export function findCompany(
  idOrName: string,
  companies: Iterable<Company>,
): { ok: true; company: Company } | MappingRefusal {
  const all = [...companies];
  const text = idOrName.trim();
  if (/^\d+$/.test(text)) {
    const company = all.find((c) => c.id === Number(text));
    return company
      ? { ok: true, company }
      : refusal(
          'COMPANY_NOT_FOUND',
          `there is no Autotask company with id ${text}`,
          'use an id from the mapping card',
        );
  }
  const wanted = normaliseCompanyName(text);
  const same = all.filter((c) => normaliseCompanyName(c.companyName) === wanted);
  if (same.length === 1) return { ok: true, company: same[0]! };
  if (same.length > 1)
    return refusal(
      'COMPANY_NOT_FOUND',
      `several Autotask companies are called "${text}": ${same.map((c) => `${c.id} "${c.companyName}"`).join(', ')}`,
      'use the id',
    );
  const outcome = matchCompany(text, all);
  const near = outcome.kind === 'suggestion' || outcome.kind === 'ambiguous' ? outcome.candidates : [];
  return refusal(
    'COMPANY_NOT_FOUND',
    `no Autotask company is called "${text}"`,
    `${didYouMean(near)}use an id or the exact name`,
  );
}

export function findService(
  idOrName: string,
  services: Iterable<Service>,
  /** a name shared by a Monthly and a Yearly service means the one of this cycle's period */
  period?: PeriodWanted,
): { ok: true; service: Service } | MappingRefusal {
  const all = [...services];
  const text = idOrName.trim();
  if (/^\d+$/.test(text)) {
    const service = all.find((s) => s.id === Number(text));
    return service
      ? { ok: true, service }
      : refusal(
          'SERVICE_NOT_FOUND',
          `there is no Autotask service with id ${text}`,
          'use an id from the mapping card',
        );
  }
  const wanted = normaliseServiceName(text);
  const same = all.filter((s) => normaliseServiceName(s.name) === wanted);
  if (same.length === 1) return { ok: true, service: same[0]! };
  if (same.length > 1 && period) {
    const want = periodForCycle(period.cycle);
    const ofPeriod = same.filter((s) => servicePeriod(s, period.picklists) === want);
    if (ofPeriod.length === 1) return { ok: true, service: ofPeriod[0]! };
  }
  if (same.length > 1)
    return refusal(
      'SERVICE_NOT_FOUND',
      `several Autotask services are called "${text}": ${same
        .map((s) => (period ? serviceLabel(s, period.picklists) : `${s.id} "${s.name}"`))
        .join('; ')}`,
      period ? 'use the id' : 'use the id, or say monthly or annual before `service`',
    );
  const outcome = matchService({ name: text, sku: null }, all);
  const near = outcome.kind === 'suggestion' || outcome.kind === 'ambiguous' ? outcome.candidates : [];
  return refusal(
    'SERVICE_NOT_FOUND',
    `no Autotask service is called "${text}"`,
    `${didYouMean(near)}use an id or the exact name`,
  );
}
