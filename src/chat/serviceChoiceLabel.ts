// How a service is named wherever a person picks one: "31 · Microsoft 365 Business Premium ·
// Monthly · CFQ7TTC0LCHC · 22.00". Platforms cap option texts (Slack 75 characters), and the
// part that tells two same-named services apart (period, SKU, price) is at the end, so the name
// is shortened rather than the end cut off.
import type { ServiceChoice } from './chatServices.js';
import { clip } from './textFitting.js';

const SEPARATOR = ' · ';

export function serviceChoiceLabel(choice: ServiceChoice, limit = Infinity): string {
  const label = choice.label ?? `${choice.serviceId}${SEPARATOR}${choice.name}`;
  if (label.length <= limit) return label;
  const parts = label.split(SEPARATOR);
  if (parts.length < 3) return clip(label, limit);
  const rest = label.length - parts[1]!.length;
  const room = limit - rest;
  if (room < 8) return clip(label, limit);
  parts[1] = clip(parts[1]!, room);
  return parts.join(SEPARATOR);
}
