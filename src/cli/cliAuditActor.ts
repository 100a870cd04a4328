// Who a change made from the CLI is audited as: `--as alice` is `cli:alice`, an id with a scheme
// (`slack:T1:U1`) is taken as given, and without --as the terminal's person is `cli:unknown`.
import { ActorSchema, type Actor } from '../audit/actor.js';
import type { CliContext } from './cliCommand.js';

export function cliAuditActor(flags: CliContext['flags']): Actor {
  const asId = flags.as ?? 'cli:unknown';
  return ActorSchema.parse({ id: asId.includes(':') ? asId : `cli:${asId}` });
}
