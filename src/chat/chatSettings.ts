// Settings chat reads and writes through the audited settings store: the mapping mode and where
// approval requests and failure notifications go.
import { z } from 'zod';

export const MAPPING_MODE_SETTING = 'mapping.mode';
export const MappingModeSchema = z.enum(['auto', 'manual']);
export type MappingMode = z.infer<typeof MappingModeSchema>;
export const DEFAULT_MAPPING_MODE: MappingMode = 'auto';

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
