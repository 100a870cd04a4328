// The mapping part's answers as chat shows them: the mapping card data as a MappingView, a
// change or refusal as a MappingChangeResult, findings as unmapped items.
import type {
  CompanyMappingView,
  ContractMappingView,
  MappingChangeResult,
  MappingView,
  ProductMappingView,
  ServiceChoice,
  UnmappedItem,
} from '../chat/chatServices.js';
import type { MappingChange } from '../mapping/mappingChange.js';
import type { MappingRefusal } from '../mapping/mappingFinding.js';
import type { MappingCardData, UnmappedItem as MappingUnmapped } from '../mapping/mappingState.js';

export function refusalResult(refusal: MappingRefusal): MappingChangeResult {
  return {
    ok: false,
    changes: [],
    errors: [{ code: refusal.code, message: refusal.message, hint: refusal.hint }],
  };
}

export function changeResult(change: MappingChange): MappingChangeResult {
  if (!change.ok) return refusalResult(change);
  const endLines = change.endLines.map((e) => e.text);
  return { ok: true, changes: change.changed ? [change.message, ...endLines] : [], errors: [] };
}

export function mappingView(data: MappingCardData, services: ServiceChoice[]): MappingView {
  const company: CompanyMappingView =
    data.company.state === 'matched'
      ? { state: 'mapped', companyId: data.company.id, companyName: data.company.name }
      : data.company.state === 'suggested'
        ? {
            state: 'suggested',
            companyId: data.company.suggestions[0]!.candidateId,
            companyName: data.company.suggestions[0]!.candidateName,
            confidence: data.company.suggestions[0]!.confidence,
            suggestionId: data.company.suggestions[0]!.id,
          }
        : { state: 'missing', companyId: null, companyName: null };
  const contracts: ContractMappingView[] = data.contracts
    .filter((c) => c.needed || c.contract)
    .map((c) => ({
      billingCycle: c.cycle,
      state: c.state === 'chosen' ? 'mapped' : c.state === 'ambiguous' ? 'ambiguous' : 'missing',
      contractId: c.contract?.id ?? null,
      contractName: c.contract?.name ?? null,
    }));
  const products: ProductMappingView[] = data.products.map((p) => {
    const best = p.suggestions[0];
    const base = { productName: p.productName, sku: p.productSku || null, billingCycle: p.billingCycle };
    if (p.state === 'skipped')
      return {
        ...base,
        state: 'skipped',
        serviceId: null,
        serviceName: null,
        ...(p.skippedReason ? { note: p.skippedReason } : {}),
      };
    const serviceLabel = p.service?.label ?? best?.candidateLabel;
    const note = p.state === 'mapped' ? null : best?.note;
    return {
      ...base,
      state: p.state === 'mapped' ? 'mapped' : p.state === 'suggested' ? 'suggested' : 'missing',
      serviceId: p.service?.id ?? best?.candidateId ?? null,
      serviceName: p.service?.name ?? best?.candidateName ?? null,
      ...(serviceLabel ? { serviceLabel } : {}),
      ...(p.state === 'suggested' && best ? { confidence: best.confidence, suggestionId: best.id } : {}),
      ...(note ? { note } : {}),
    };
  });
  return {
    customerId: data.customer.id,
    customerName: data.customer.name,
    mode: data.mode,
    company,
    contracts,
    products,
    services,
  };
}

/** One row per finding; the name carries what to do, including suggestion ids to confirm. */
export function unmappedItem(item: MappingUnmapped): UnmappedItem {
  const f = item.finding;
  const what: UnmappedItem['what'] = f.code.startsWith('CONTRACT_')
    ? 'contract'
    : f.code.startsWith('CUSTOMER_') || f.code.startsWith('COMPANY_')
      ? 'company'
      : 'product';
  const subject = f.productName
    ? `${f.productName}${f.billingCycle ? ` (${f.billingCycle})` : ''}`
    : what === 'contract'
      ? (f.billingCycle ?? 'contract')
      : item.customerName;
  return {
    customerId: item.customerId,
    customerName: item.customerName,
    what,
    name: `${subject} — ${f.code}: ${f.hint}`,
  };
}
