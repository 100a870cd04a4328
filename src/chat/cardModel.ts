// One card model for every platform. Renderers (Block Kit, Adaptive Cards, text) turn it into
// what a platform shows and enforce that platform's limits. Every action is a command: a button
// carries the full command text it stands for, a select carries the command prefix its chosen
// value completes — so a click goes through the same router, roles and checks as typed text.
import { z } from 'zod';

export const ConfirmDialogSchema = z.object({
  title: z.string(),
  text: z.string(),
  confirm: z.string(),
  deny: z.string(),
});

export const ButtonSchema = z.object({
  type: z.literal('button'),
  label: z.string(),
  /** the command the click runs, e.g. `approve run_123` */
  command: z.string(),
  style: z.enum(['primary', 'danger']).optional(),
  confirm: ConfirmDialogSchema.optional(),
});
export type CardButton = z.infer<typeof ButtonSchema>;

export const SelectOptionSchema = z.object({ label: z.string(), value: z.string() });

export const SelectSchema = z.object({
  type: z.literal('select'),
  /** what the select is about, shown next to it, e.g. the product name */
  label: z.string(),
  placeholder: z.string(),
  /** the command the chosen value completes, e.g. `map <customer> product "Visio" service` */
  commandPrefix: z.string(),
  /** static options; a renderer switches to a searchable list when there are too many */
  options: z.array(SelectOptionSchema),
  /** where a searchable list gets its options: the platform asks the bot with what was typed */
  dynamic: z.object({ source: z.literal('services'), customerId: z.string() }).optional(),
});
export type CardSelect = z.infer<typeof SelectSchema>;

export const CardElementSchema = z.discriminatedUnion('type', [ButtonSchema, SelectSchema]);
export type CardElement = z.infer<typeof CardElementSchema>;

export const CardBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), text: z.string() }),
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('fields'),
    fields: z.array(z.object({ label: z.string(), value: z.string() })),
  }),
  z.object({
    type: z.literal('table'),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.string())),
    /** rows that exist but were left out of this card (the card says "and N more") */
    omittedRows: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal('actions'), elements: z.array(CardElementSchema) }),
  /** one select with its label, e.g. an unmapped product and the service to map it to */
  z.object({ type: z.literal('select'), select: SelectSchema }),
  z.object({ type: z.literal('context'), items: z.array(z.string()) }),
  z.object({ type: z.literal('divider') }),
  /** a picture (a chart) at a URL the platform fetches: Slack and Teams show it only over https */
  z.object({ type: z.literal('image'), url: z.string(), altText: z.string(), title: z.string().optional() }),
  /** a download (a CSV export): the label, and the URL it opens */
  z.object({ type: z.literal('link'), label: z.string(), url: z.string() }),
]);
export type CardBlock = z.infer<typeof CardBlockSchema>;

export const CardSchema = z.object({
  /** which builder made it (tests and logs): help, status, validation, approval, ... */
  kind: z.string(),
  /** plain one-line summary for notifications and screen readers */
  summary: z.string(),
  blocks: z.array(CardBlockSchema),
});
export type Card = z.infer<typeof CardSchema>;

/** What the router answers: one or more cards, and whether only the asker should see them. */
export interface ChatReply {
  cards: Card[];
  /** only the person who asked sees it (Slack ephemeral); false = the whole channel */
  private: boolean;
  /** the asker may not do this: answered politely and audited */
  denied?: boolean;
  /** the work failed unexpectedly; the card tells the asker to try again (the delivery may be retried) */
  failed?: boolean;
  /** the work ran and found a problem (a check that differs, a pull that failed): the CLI exits 1 */
  problemsFound?: boolean;
  /**
   * the bytes behind links on the card, for the CLI to write with --png/--csv; chat platforms
   * ignore them
   */
  files?: { name: string; contentType: string; bytes: Buffer }[];
  /** a card that must also go to the notification channel (an approval request) */
  broadcast?: { kind: 'approval'; runId: string; card: Card };
  /** the decision changed an approval card posted earlier: rewrite it with this */
  updatePosted?: { kind: 'approval'; runId: string; card: Card };
}

export const card = (kind: string, summary: string, blocks: CardBlock[]): Card => ({ kind, summary, blocks });
