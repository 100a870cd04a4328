// A service's period type as words, read through the tenant's Services periodType picklist, and
// which period a billing cycle wants: monthly subscriptions go to Monthly services, annual ones
// to Yearly services. Quarterly and semi-annual services are never chosen for either.
import type { AutotaskPicklists, Service } from '../autotask/entities.js';
import { picklistPeriod, type PicklistPeriod } from './picklistPeriod.js';
import type { BillingCycle } from '../core/billingCycle.js';

export type ServicePeriod = 'Monthly' | 'Quarterly' | 'Semi-Annual' | 'Yearly';

const SERVICE_PERIODS: Record<PicklistPeriod, ServicePeriod> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  semiAnnual: 'Semi-Annual',
  yearly: 'Yearly',
};

export function servicePeriod(
  service: Pick<Service, 'periodType'>,
  picklists: Pick<AutotaskPicklists, 'servicePeriodType'>,
): ServicePeriod | null {
  const period = picklistPeriod(service.periodType, picklists.servicePeriodType);
  return period ? SERVICE_PERIODS[period] : null;
}

export function periodForCycle(cycle: BillingCycle): ServicePeriod {
  return cycle === 'annual' ? 'Yearly' : 'Monthly';
}

/** Quarterly and semi-annual services bill on periods no pushed subscription has. */
export function isNeverForCycles(period: ServicePeriod | null): boolean {
  return period === 'Quarterly' || period === 'Semi-Annual';
}

/**
 * "31 · Microsoft 365 Business Premium · Monthly · CFQ7TTC0LCHC · 22.00": everything a person
 * needs to tell two services of the same name apart, wherever a service is named.
 */
export function serviceLabel(
  service: Pick<Service, 'id' | 'name' | 'sku' | 'unitPrice' | 'periodType'>,
  picklists: Pick<AutotaskPicklists, 'servicePeriodType'>,
): string {
  return [
    String(service.id),
    service.name,
    servicePeriod(service, picklists) ?? 'period unknown',
    service.sku ? service.sku : 'no SKU',
    service.unitPrice ? service.unitPrice.toFixed(2) : 'no price',
  ].join(' · ');
}
