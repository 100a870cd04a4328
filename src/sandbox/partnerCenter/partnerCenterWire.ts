// How the Partner Center stand-in writes its resources on the wire (docs/sources-partner-center.md
// "What the stand-in models"): Customer with its companyProfile, Subscription with links and
// attributes, the Collection envelope with links.self / links.next (MS-ContinuationToken) and the
// JSON text an audit record keeps of a resource before and after a change.
import type { PcCustomer, PcSubscription } from './partnerCenterWorld.js';

export interface WireLink {
  uri: string;
  method: 'GET';
  headers: { key: string; value: string }[];
}

export function customerOnWire(customer: PcCustomer): Record<string, unknown> {
  return {
    id: customer.id,
    companyProfile: {
      tenantId: customer.id,
      domain: customer.domain,
      companyName: customer.companyName,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    relationshipToPartner: customer.relationshipToPartner,
    attributes: { objectType: 'Customer' },
  };
}

/** A subscription as GET /v1/customers/{id}/subscriptions lists it; `malformed` breaks two fields. */
export function subscriptionOnWire(
  subscription: PcSubscription,
  malformed: boolean,
): Record<string, unknown> {
  const { customerId, termDuration, ...fields } = subscription;
  const self = `/customers/${customerId}/subscriptions/${subscription.id}`;
  return {
    ...fields,
    ...(termDuration ? { termDuration } : {}),
    ...(malformed ? { quantity: 'several', status: 'half-active' } : {}),
    links: {
      offer: { uri: `/offers/${subscription.offerId}`, method: 'GET', headers: [] },
      self: { uri: self, method: 'GET', headers: [] },
    },
    attributes: { etag: `"${subscription.quantity}-${subscription.status}"`, objectType: 'Subscription' },
  };
}

/** The JSON text an audit record holds of a subscription: the resource's fields, PascalCase. */
export function subscriptionAuditValue(subscription: PcSubscription): string {
  return JSON.stringify({
    Id: subscription.id,
    OfferId: subscription.offerId,
    OfferName: subscription.offerName,
    FriendlyName: subscription.friendlyName,
    Quantity: subscription.quantity,
    UnitType: subscription.unitType,
    CreationDate: subscription.creationDate,
    EffectiveStartDate: subscription.effectiveStartDate,
    CommitmentEndDate: subscription.commitmentEndDate,
    Status: subscription.status,
    AutoRenewEnabled: subscription.autoRenewEnabled,
    BillingType: subscription.billingType,
    BillingCycle: subscription.billingCycle,
    TermDuration: subscription.termDuration ?? null,
    OrderId: subscription.orderId,
  });
}

export function customerAuditValue(customer: PcCustomer): string {
  return JSON.stringify({
    Id: customer.id,
    CompanyProfile: { TenantId: customer.id, Domain: customer.domain, CompanyName: customer.companyName },
    RelationshipToPartner: customer.relationshipToPartner,
  });
}

export function collection(
  items: unknown[],
  selfUri: string,
  next?: { uri: string; continuationToken: string },
): Record<string, unknown> {
  const links: Record<string, WireLink> = { self: { uri: selfUri, method: 'GET', headers: [] } };
  if (next)
    links['next'] = {
      uri: next.uri,
      method: 'GET',
      headers: [{ key: 'MS-ContinuationToken', value: next.continuationToken }],
    };
  return {
    totalCount: items.length,
    items,
    links,
    ...(next ? { continuationToken: next.continuationToken } : {}),
    attributes: { objectType: 'Collection' },
  };
}
