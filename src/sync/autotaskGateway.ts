// The port through which the upload talks to Autotask. The autotask part implements it over its
// REST client; failures come back as coded values, never thrown (the client has already retried
// what was safe to send again), so the executor decides with a switch whether to resolve from the
// units timeline, fail the operation, or stop.
import type { Problem } from '../core/problem.js';
import type { UnitsRow } from './unitsTimeline.js';

export type GatewayFailureCode =
  /** Autotask refused on a business rule (500 with an `errors` array): never retried blindly */
  | 'BUSINESS_RULE'
  /** refused before processing (429 / thread limit / hourly limit / connection refused): safe to send again */
  | 'NOT_SENT'
  /** the request may have reached Autotask (timeout, dropped connection, 5xx without errors) */
  | 'OUTCOME_UNKNOWN'
  /** credentials, permissions, anything a retry cannot fix */
  | 'FATAL';

export interface GatewayFailure {
  ok: false;
  code: GatewayFailureCode;
  /** what Autotask (or the client) said, with what to do */
  problem: Problem;
}

export type GatewayResult<T> = { ok: true; value: T } | GatewayFailure;

export interface GatewayLine {
  contractServiceId: number;
  contractId: number;
  serviceId: number;
}

export interface GatewayUnitsRow extends UnitsRow {
  contractId: number;
  serviceId: number;
}

export interface AdjustmentRequest {
  contractId: number;
  effectiveDate: string;
  unitChange: number;
  /** the line, when known */
  contractServiceId?: number;
  /** with allowRepeatService: a new line for this service */
  serviceId?: number;
  allowRepeatService?: boolean;
  /** decimal string */
  adjustedUnitPrice?: string;
}

export interface AutotaskGateway {
  /** Every line on these contracts: `in` lists of at most 500, 500 rows a page. */
  contractServices(contractIds: readonly number[]): Promise<GatewayResult<GatewayLine[]>>;
  /** The units timeline of every line on these contracts, batched the same way. */
  contractServiceUnits(contractIds: readonly number[]): Promise<GatewayResult<GatewayUnitsRow[]>>;
  /** POST /Contracts/{id}/Services → the new line's id. */
  createContractService(request: {
    contractId: number;
    serviceId: number;
    unitPrice: string;
  }): Promise<GatewayResult<{ contractServiceId: number }>>;
  /** POST /Contracts/{id}/ServiceAdjustments. */
  createAdjustment(request: AdjustmentRequest): Promise<GatewayResult<{ itemId: number | null }>>;
}
