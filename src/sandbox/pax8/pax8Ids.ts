// Stable made-up Pax8 ids: a UUID-shaped id from a text (the same product always gets the same
// id), and one from a seeded random source.
import { createHash } from 'node:crypto';

function uuidShape(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function uuidFromText(text: string): string {
  return uuidShape(createHash('sha256').update(text).digest('hex'));
}

export function uuidFromRandom(next: () => number): string {
  return uuidShape(Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join(''));
}
