// The mapping card: company (matched / suggested with confidence / missing), a contract per
// billing cycle, then one row per product and billing cycle with its service (id · name · period
// · SKU · price); unmapped rows get a service select, suggestions a "Confirm all suggestions"
// button, and rows that are never uploaded (usage-based, other cycles) say so without a select. A customer may have hundreds of unmapped
// products: the card shows the first few with selects and says how many more there are.
import { formatProblem } from '../core/problem.js';
import { card, type Card, type CardBlock, type CardButton } from './cardModel.js';
import { andMore } from './cardFormat.js';
import type { MappingChangeResult, MappingView, ProductMappingView } from './chatServices.js';
import { quoteArgument } from './commandTokenizer.js';
import { serviceChoiceLabel } from './serviceChoiceLabel.js';

/** unmapped products shown with a select; the rest are counted and listed by `unmapped` */
export const MAPPING_CARD_SELECTS = 20;
const MAPPED_ROWS = 30;
const SUGGESTION_LINES = 10;
/** the shortest option text any platform allows (Slack: 75) */
const OPTION_TEXT = 75;

const percent = (confidence: number | undefined) =>
  confidence === undefined ? '' : ` (${Math.round(confidence * 100)} %)`;

export function mappingCard(view: MappingView, prefix: string, page = 1): Card {
  const customerArg = quoteArgument(view.customerName);
  const blocks: CardBlock[] = [{ type: 'header', text: `Mapping — ${view.customerName}` }];
  const company = view.company;
  blocks.push({
    type: 'fields',
    fields: [
      {
        label: 'Company',
        value:
          company.state === 'mapped'
            ? `✅ ${company.companyName} (${company.companyId})`
            : company.state === 'suggested'
              ? `💡 ${company.companyName}?${percent(company.confidence)}`
              : company.state === 'ambiguous'
                ? '❓ several companies match'
                : `❌ missing — \`${prefix}map ${customerArg} company <id or name>\``,
      },
      ...view.contracts.map((c) => ({
        label: `Contract (${c.billingCycle})`,
        value:
          c.state === 'mapped'
            ? `✅ ${c.contractName} (${c.contractId})`
            : c.state === 'suggested'
              ? `💡 ${c.contractName}?`
              : `❌ missing — \`${prefix}map ${customerArg} contract ${c.billingCycle} <id>\``,
      })),
      { label: 'Mode', value: view.mode },
    ],
  });

  const mapped = view.products.filter((p) => p.state === 'mapped' || p.state === 'suggested');
  const unmapped = view.products.filter((p) => p.state === 'missing' || p.state === 'ambiguous');
  const skipped = view.products.filter((p) => p.state === 'skipped');
  // the service named so two of one name differ
  if (mapped.length > 0)
    blocks.push(
      productTable(['product', 'cycle', 'service (id · name · period · SKU · price)'], mapped, (p) =>
        p.state === 'mapped'
          ? `✅ ${p.serviceLabel ?? p.serviceName}`
          : `💡 ${p.serviceLabel ?? p.serviceName}?${percent(p.confidence)}`,
      ),
    );
  // one suggestion is confirmed by its id, so the card says which id is which (the first few)
  const confirmable = [
    ...(company.state === 'suggested' && company.suggestionId
      ? [`company → ${company.companyName}: \`${prefix}confirm ${company.suggestionId}\``]
      : []),
    ...view.products
      .filter((p) => p.state === 'suggested' && p.suggestionId)
      .map(
        (p) =>
          `${productAndCycle(p)} → ${p.serviceLabel ?? p.serviceName}: \`${prefix}confirm ${p.suggestionId}\`${p.note ? ` — ${p.note}` : ''}`,
      ),
  ];
  if (confirmable.length > 0)
    blocks.push({
      type: 'text',
      text: [
        ...confirmable.slice(0, SUGGESTION_LINES),
        ...(confirmable.length > SUGGESTION_LINES ? [andMore(confirmable.length - SUGGESTION_LINES)] : []),
      ].join('\n'),
    });
  if (skipped.length > 0)
    blocks.push(
      productTable(['skipped product', 'cycle', 'why'], skipped, (p) => `⏭ ${p.note ?? 'not uploaded'}`),
    );
  const pageButtons: CardButton[] = [];
  if (unmapped.length > 0) {
    const pages = Math.ceil(unmapped.length / MAPPING_CARD_SELECTS);
    const current = Math.min(Math.max(1, page), pages);
    const from = (current - 1) * MAPPING_CARD_SELECTS;
    const shown = unmapped.slice(from, from + MAPPING_CARD_SELECTS);
    blocks.push({
      type: 'text',
      text: `*${unmapped.length} products without a service* — pick one for each billing cycle${pages > 1 ? ` (page ${current} of ${pages})` : ''}:`,
    });
    for (const product of shown) blocks.push({ type: 'select', select: serviceSelect(view, product) });
    const after = unmapped.length - from - shown.length;
    if (after > 0)
      blocks.push({
        type: 'context',
        items: [`${andMore(after)} — \`${prefix}unmapped ${customerArg}\``],
      });
    const byId = quoteArgument(view.customerId);
    if (current > 1)
      pageButtons.push({
        type: 'button',
        label: 'Previous products',
        command: `map ${byId} page ${current - 1}`,
      });
    if (after > 0)
      pageButtons.push({
        type: 'button',
        label: 'Next products',
        command: `map ${byId} page ${current + 1}`,
      });
  } else {
    blocks.push({ type: 'text', text: '✅ Every product has a service.' });
  }

  const suggestions = [company, ...view.contracts, ...view.products].filter((x) => x.state === 'suggested');
  const buttons: CardButton[] = [
    ...(suggestions.length > 0
      ? [
          {
            type: 'button' as const,
            label: `Confirm all suggestions (${suggestions.length})`,
            command: `confirm ${customerArg} all`,
            style: 'primary' as const,
          },
        ]
      : []),
    ...pageButtons,
  ];
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return card(
    'mapping',
    `Mapping of ${view.customerName}: ${unmapped.length} products unmapped${skipped.length ? `, ${skipped.length} skipped` : ''}.`,
    blocks,
  );
}

/** One row per product and billing cycle, the first MAPPED_ROWS of them; `about` fills the last column. */
function productTable(
  columns: [product: string, cycle: string, about: string],
  products: ProductMappingView[],
  about: (product: ProductMappingView) => string,
): CardBlock {
  const shown = products.slice(0, MAPPED_ROWS);
  return {
    type: 'table',
    columns,
    rows: shown.map((p) => [p.productName + (p.sku ? ` (${p.sku})` : ''), p.billingCycle ?? '', about(p)]),
    omittedRows: products.length - shown.length,
  };
}

function productAndCycle(product: ProductMappingView): string {
  return `${product.productName}${product.sku ? ` (${product.sku})` : ''}${product.billingCycle ? ` · ${product.billingCycle}` : ''}`;
}

/** The select maps the product for its own billing cycle only (the other cycle has its own row). */
function serviceSelect(view: MappingView, product: ProductMappingView) {
  const cycle =
    product.billingCycle === 'monthly' || product.billingCycle === 'annual' ? ` ${product.billingCycle}` : '';
  return {
    type: 'select' as const,
    label: productAndCycle(product),
    placeholder: 'Choose a service',
    commandPrefix: `map ${quoteArgument(view.customerId)} product ${quoteArgument(product.productName)}${cycle} service`,
    options: view.services.map((s) => ({
      label: serviceChoiceLabel(s, OPTION_TEXT),
      value: String(s.serviceId),
    })),
    dynamic: { source: 'services' as const, customerId: view.customerId },
  };
}

export function mappingChangeCard(result: MappingChangeResult, what: string): Card {
  const lines = result.ok
    ? result.changes.length
      ? result.changes.map((c) => `✅ ${c}`)
      : ['Nothing needed changing.']
    : result.errors.map((e) => `❌ ${formatProblem(e)}`);
  return card('mapping-change', `${what}: ${result.ok ? 'done' : 'not done'}.`, [
    { type: 'text', text: lines.join('\n') },
  ]);
}
