// Settings chat reads and writes through the audited settings store: where approval requests and
// failure notifications go. (The mapping mode is the mapping part's: src/mapping/mappingMode.ts.)
import { z } from 'zod';

export const NOTIFICATION_TARGET_SETTING = 'chat.notification_target';
export const NotificationTargetSchema = z.object({
  platform: z.enum(['slack', 'teams']),
  channel: z.string().min(1),
  /** Slack team or Teams tenant the channel belongs to */
  workspace: z.string().min(1),
  /** how people know it: "#billing" */
  label: z.string().optional(),
});
export type NotificationTarget = z.infer<typeof NotificationTargetSchema>;
