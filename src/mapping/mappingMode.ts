// Mapping mode (docs/billing-semantics.md §3): automatic applies exact matches without a person; manual
// applies nothing without a person. Suggestions are made in both.
import { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import type { Db, PrismaClient } from '../db/prismaClient.js';
import { readSetting, writeSetting } from '../settings/settingsStore.js';

export const MAPPING_MODE_KEY = 'mapping.mode';
const MAPPING_MODES = ['automatic', 'manual'] as const;
export type MappingMode = (typeof MAPPING_MODES)[number];
/** Stored as `automatic`|`manual`; `auto`, which chat once stored under the same key, reads as automatic. */
export const MappingModeSchema = z.preprocess(
  (value) => (value === 'auto' ? 'automatic' : value),
  z.enum(MAPPING_MODES),
);
export const DEFAULT_MAPPING_MODE: MappingMode = 'automatic';

/** What people type: `mode auto|manual` (the long forms are accepted too). */
export function parseMappingMode(text: string): MappingMode | null {
  const word = text.trim().toLowerCase();
  if (word === 'auto' || word === 'automatic') return 'automatic';
  if (word === 'manual') return 'manual';
  return null;
}

export function getMappingMode(db: Db): Promise<MappingMode> {
  return readSetting(db, MAPPING_MODE_KEY, MappingModeSchema, DEFAULT_MAPPING_MODE);
}

/** Audited in the same transaction by the settings store. */
export function setMappingMode(prisma: PrismaClient, mode: MappingMode, actor: Actor): Promise<void> {
  return writeSetting(prisma, MAPPING_MODE_KEY, MappingModeSchema, mode, actor);
}
