import { z } from 'zod';

/** Who did something: `slack:<team>:<user>`, `teams:<tenant>:<aad id>`, `cli:<os user>` or `system`. */
export const ActorSchema = z.object({
  id: z
    .string()
    .regex(
      /^(slack:[^:]+:[^:]+|teams:[^:]+:[^:]+|cli:.+|system(:.+)?)$/,
      'an actor id like slack:T1:U1, teams:<tenant>:<user>, cli:alice or system',
    ),
  name: z.string().max(200).optional(),
});
export type Actor = z.infer<typeof ActorSchema>;

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'autotask-bot' };
