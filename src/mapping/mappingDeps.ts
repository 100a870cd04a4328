// What the mapping use cases need from the outside world.
import type { PrismaClient } from '../db/prismaClient.js';
import type { AutotaskDirectory } from './autotaskDirectory.js';
import { utcDateOf } from '../core/calendarDate.js';

export interface MappingDeps {
  prisma: PrismaClient;
  directory: AutotaskDirectory;
  /** today's date, YYYY-MM-DD (UTC); injectable so tests can pin it */
  today?: () => string;
}

export function todayOf(deps: MappingDeps): string {
  return deps.today ? deps.today() : utcDateOf(new Date());
}
