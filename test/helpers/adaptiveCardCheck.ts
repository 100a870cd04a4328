// Microsoft's own Adaptive Cards library parses and validates each card the bot sends. Its lib/
// build is extensionless ESM Node refuses, so the UMD bundle is required (docs/chat-ux.md).
import { createRequire } from 'node:module';

interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
    version: { toString(): string; major: number; minor: number };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
}

const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

/** every parse or validation problem the library reports, and the version it read */
export function parseAdaptiveCard(json: unknown): { errors: string[]; version: string } {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const errors: string[] = [];
  for (let i = 0; i < context.eventCount; i++) errors.push(context.getEventAt(i).message);
  errors.push(...card.validateProperties().validationEvents.map((e) => e.message));
  return { errors, version: card.version.toString() };
}
