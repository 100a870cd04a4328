// The Autotask state a validation reads for one customer, in batches (all companies, contracts,
// lines and units needed, `in` filters, 500 a page). Plain data: the rules stay pure.
import type { AutotaskPicklists } from '../autotask/entities.js';
import type { UnitsRow } from './unitsTimeline.js';

/** Why the read failed: no answer, refused credentials, or a line/units row the bot cannot read. */
export type Connectivity =
  | { ok: true }
  | {
      ok: false;
      code: 'AUTOTASK_UNREACHABLE' | 'AUTOTASK_AUTH' | 'AUTOTASK_ROW_UNREADABLE';
      message: string;
    };

export interface SnapshotCompany {
  id: number;
  companyName: string;
  isActive: boolean;
}

export interface SnapshotContract {
  id: number;
  companyID: number;
  contractName: string;
  contractType: number;
  contractPeriodType?: number | null | undefined;
  status: number;
  startDate: string;
  endDate: string;
}

export interface SnapshotService {
  id: number;
  name: string;
  isActive: boolean;
}

export interface SnapshotContractService {
  id: number;
  contractID: number;
  serviceID: number;
}

export interface SnapshotUnitsRow extends UnitsRow {
  contractID: number;
  serviceID: number;
}

export interface AutotaskSnapshot {
  connectivity: Connectivity;
  picklists: AutotaskPicklists;
  /** the mapped company */
  companies: SnapshotCompany[];
  /** every contract of the mapped company */
  contracts: SnapshotContract[];
  /** the services the customer's products map to */
  services: SnapshotService[];
  /** every line on those contracts */
  contractServices: SnapshotContractService[];
  /** the units timeline of those lines */
  units: SnapshotUnitsRow[];
}
