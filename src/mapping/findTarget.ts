// "<id or name>" as people type it → one Autotask company or service, or a coded refusal that
// lists what they may have meant.
import type { Company, Service } from '../autotask/entities.js';
import { refusal, type MappingRefusal } from './mappingFinding.js';
import { matchCompany } from './matchCompany.js';
import type { MatchOutcome } from './matchOutcome.js';
import { matchService, type PeriodWanted } from './matchService.js';
import { periodForCycle, serviceLabel, servicePeriod } from './servicePeriod.js';
import { normaliseCompanyName, normaliseServiceName } from './normaliseName.js';

/** What a lookup needs to know of the kind of target it looks for. */
interface TargetKind<T> {
  code: 'COMPANY_NOT_FOUND' | 'SERVICE_NOT_FOUND';
  /** as a refusal names it: "company", "service" */
  noun: string;
  name: (target: T) => string;
  /** names are compared normalised */
  normalise: (text: string) => string;
  /** fuzzy matching of the text, for "did you mean" */
  match: (text: string, all: T[]) => MatchOutcome;
  /** several targets carry the name: the one meant, or the refusal that lists them */
  several: (text: string, same: T[]) => { ok: true; target: T } | MappingRefusal;
}

function didYouMean(outcome: MatchOutcome): string {
  const near = outcome.kind === 'suggestion' || outcome.kind === 'ambiguous' ? outcome.candidates : [];
  return near.length > 0 ? `did you mean ${near.map((c) => `${c.id} "${c.name}"`).join(', ')}? ` : '';
}

/** An id finds its target; a name finds the one target of that exact (normalised) name. */
function findTarget<T extends { id: number }>(
  idOrName: string,
  targets: Iterable<T>,
  kind: TargetKind<T>,
): { ok: true; target: T } | MappingRefusal {
  const all = [...targets];
  const text = idOrName.trim();
  if (/^\d+$/.test(text)) {
    const target = all.find((t) => t.id === Number(text));
    return target
      ? { ok: true, target }
      : refusal(
          kind.code,
          `there is no Autotask ${kind.noun} with id ${text}`,
          'use an id from the mapping card',
        );
  }
  const wanted = kind.normalise(text);
  const same = all.filter((t) => kind.normalise(kind.name(t)) === wanted);
  if (same.length === 1) return { ok: true, target: same[0]! };
  if (same.length > 1) return kind.several(text, same);
  return refusal(
    kind.code,
    `no Autotask ${kind.noun} is called "${text}"`,
    `${didYouMean(kind.match(text, all))}use an id or the exact name`,
  );
}

const COMPANIES: TargetKind<Company> = {
  code: 'COMPANY_NOT_FOUND',
  noun: 'company',
  name: (c) => c.companyName,
  normalise: normaliseCompanyName,
  match: matchCompany,
  several: (text, same) =>
    refusal(
      'COMPANY_NOT_FOUND',
      `several Autotask companies are called "${text}": ${same.map((c) => `${c.id} "${c.companyName}"`).join(', ')}`,
      'use the id',
    ),
};

/** Services; when a period is wanted, of several of one name the one of that period is meant. */
function servicesOf(period: PeriodWanted | undefined): TargetKind<Service> {
  return {
    code: 'SERVICE_NOT_FOUND',
    noun: 'service',
    name: (s) => s.name,
    normalise: normaliseServiceName,
    match: (text, all) => matchService({ name: text, sku: null }, all),
    several: (text, same) => {
      if (period) {
        const want = periodForCycle(period.cycle);
        const ofPeriod = same.filter((s) => servicePeriod(s, period.picklists) === want);
        if (ofPeriod.length === 1) return { ok: true, target: ofPeriod[0]! };
      }
      return refusal(
        'SERVICE_NOT_FOUND',
        `several Autotask services are called "${text}": ${same
          .map((s) => (period ? serviceLabel(s, period.picklists) : `${s.id} "${s.name}"`))
          .join('; ')}`,
        period ? 'use the id' : 'use the id, or say monthly or annual before `service`',
      );
    },
  };
}

export function findCompany(
  idOrName: string,
  companies: Iterable<Company>,
): { ok: true; company: Company } | MappingRefusal {
  const found = findTarget(idOrName, companies, COMPANIES);
  return found.ok ? { ok: true, company: found.target } : found;
}

export function findService(
  idOrName: string,
  services: Iterable<Service>,
  /** a name shared by a Monthly and a Yearly service means the one of this cycle's period */
  period?: PeriodWanted,
): { ok: true; service: Service } | MappingRefusal {
  const found = findTarget(idOrName, services, servicesOf(period));
  return found.ok ? { ok: true, service: found.target } : found;
}
