// Called by the sync part, in the transaction that records an upload, for every line it pushed
// under a mapping: from then on the mapping is locked (MAPPING_LOCKED_BY_UPLOAD) unless forced.
// A contract chosen only because it was the single candidate is stored as the default here, so a
// second contract appearing later cannot silently move the customer's billing.
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/auditLog.js';
import type { Db } from '../db/prismaClient.js';
import type { ProductTarget } from './resolveMappingForSync.js';
import { periodFor } from './selectContract.js';

export interface UploadedUnderMapping {
  customerId: string;
  companyId: number;
  target: Pick<
    ProductTarget,
    'productName' | 'productSku' | 'billingCycle' | 'service' | 'contract' | 'serviceScope'
  >;
  at?: Date;
}

export async function recordUploadUnderMapping(
  db: Db,
  upload: UploadedUnderMapping,
  actor: Actor,
): Promise<void> {
  const at = upload.at ?? new Date();
  const { customerId, target } = upload;
  const locked: string[] = [];
  const company = await db.customerCompanyMapping.updateMany({
    where: { customerId, companyId: upload.companyId, firstUploadedAt: null },
    data: { firstUploadedAt: at },
  });
  if (company.count > 0) locked.push(`company ${upload.companyId}`);
  const contractRow = await db.customerContractMapping.findUnique({
    where: { contractId: target.contract.id },
  });
  if (
    contractRow &&
    (contractRow.customerId !== customerId || contractRow.billingCycle !== target.billingCycle)
  )
    // resolveMappingForSync never produces this; refusing keeps a bug from locking someone else's mapping
    throw new Error(
      `MAPPING_MISMATCH: contract ${target.contract.id} is mapped for customer ${contractRow.customerId} (${contractRow.billingCycle}), not ${customerId} (${target.billingCycle})`,
    );
  if (!contractRow) {
    const hasDefault = await db.customerContractMapping.findFirst({
      where: { customerId, billingCycle: target.billingCycle, isDefault: true },
    });
    await db.customerContractMapping.create({
      data: {
        customerId,
        billingCycle: target.billingCycle,
        companyId: upload.companyId,
        contractId: target.contract.id,
        contractName: target.contract.contractName,
        contractPeriod: periodFor(target.billingCycle),
        isDefault: !hasDefault,
        source: 'upload',
        decidedBy: actor.id,
        firstUploadedAt: at,
      },
    });
    locked.push(`contract ${target.contract.id}`);
  } else if (!contractRow.firstUploadedAt) {
    await db.customerContractMapping.update({ where: { id: contractRow.id }, data: { firstUploadedAt: at } });
    locked.push(`contract ${target.contract.id}`);
  }
  const product = { productName: target.productName, productSku: target.productSku };
  const cycles = [target.billingCycle, 'any'];
  const rows =
    target.serviceScope === 'customer'
      ? await db.customerProductOverride.updateMany({
          where: {
            customerId,
            ...product,
            billingCycle: { in: cycles },
            serviceId: target.service.id,
            firstUploadedAt: null,
          },
          data: { firstUploadedAt: at },
        })
      : await db.productServiceRule.updateMany({
          where: {
            ...product,
            billingCycle: { in: cycles },
            serviceId: target.service.id,
            firstUploadedAt: null,
          },
          data: { firstUploadedAt: at },
        });
  if (rows.count > 0) locked.push(`${target.productName} → service ${target.service.id}`);
  if (locked.length > 0)
    await recordAudit(db, {
      actor,
      action: 'mapping.locked_by_upload',
      customerId,
      details: { locked, at: at.toISOString() },
    });
}
