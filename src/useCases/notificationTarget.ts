// Where approval requests and failure notifications go: read for `status` and the notifiers,
// written by `notify here` (audited by the settings store).
import type { Actor } from '../audit/actor.js';
import {
  NOTIFICATION_TARGET_SETTING,
  NotificationTargetSchema,
  type NotificationTarget,
} from '../settings/notificationTargetSetting.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import { readSetting, writeSetting } from '../settings/settingsStore.js';

export function readNotificationTarget(db: Db): Promise<NotificationTarget | null> {
  return readSetting(db, NOTIFICATION_TARGET_SETTING, NotificationTargetSchema.nullable(), null);
}

export function setNotificationTarget(
  prisma: PrismaClient,
  target: NotificationTarget,
  actor: Actor,
): Promise<void> {
  return writeSetting(prisma, NOTIFICATION_TARGET_SETTING, NotificationTargetSchema, target, actor);
}
