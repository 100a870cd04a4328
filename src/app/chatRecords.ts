// The part of the ChatServices port that only reads and writes the bot's own database: customer
// resolution, the mapping mode, the notification target and the audit log. The router reaches
// them through the port like every other use case; chat tests over an in-memory port use it too.
import type { ChatServices } from '../chat/chatServices.js';
import type { PrismaClient } from '../db/prismaClient.js';
import { listAudit, recordAudit } from '../audit/auditLog.js';
import { getMappingMode, setMappingMode } from '../mapping/mappingMode.js';
import { readNotificationTarget, setNotificationTarget } from '../useCases/notificationTarget.js';
import { resolveCustomer } from '../useCases/resolveCustomer.js';

export type ChatRecords = Pick<
  ChatServices,
  | 'resolveCustomer'
  | 'mappingMode'
  | 'setMappingMode'
  | 'notificationTarget'
  | 'setNotificationTarget'
  | 'listAudit'
  | 'recordAudit'
>;

export function chatRecords(prisma: PrismaClient): ChatRecords {
  return {
    resolveCustomer: ({ query }) => resolveCustomer(prisma, query),
    mappingMode: () => getMappingMode(prisma),
    setMappingMode: ({ mode, actor }) => setMappingMode(prisma, mode, actor),
    notificationTarget: () => readNotificationTarget(prisma),
    setNotificationTarget: ({ target, actor }) => setNotificationTarget(prisma, target, actor),
    listAudit: ({ customerId, since, limit }) =>
      listAudit(prisma, { ...(customerId ? { customerId } : {}), ...(since ? { since } : {}), limit }),
    recordAudit: (entry) => recordAudit(prisma, entry),
  };
}
