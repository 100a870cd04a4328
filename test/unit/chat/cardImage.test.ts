// The card model's image and link blocks in every renderer: Block Kit within Slack's limits,
// Adaptive Cards through Microsoft's parser and Teams' limits, and the terminal's text.
import { card } from '../../../src/chat/cardModel.js';
import { renderCardAsText } from '../../../src/chat/console/textRenderer.js';
import { checkBlockKitMessage, SLACK_LIMITS } from '../../../src/chat/slack/blockKitLimits.js';
import { renderCardsAsBlocks } from '../../../src/chat/slack/blockKitRenderer.js';
import { checkAdaptiveCard } from '../../../src/chat/teams/adaptiveCardLimits.js';
import { renderAdaptiveCard } from '../../../src/chat/teams/adaptiveCardRenderer.js';
import { parseAdaptiveCard } from '../../helpers/adaptiveCardCheck.js';

const URL_HTTPS = 'https://bot.partner.example/artifacts/abc123/chart.png?expires=1790000000&sig=s1g';
const URL_LOCAL = 'http://127.0.0.1:3000/artifacts/abc123/chart.png?expires=1790000000&sig=s1g';
const CSV = 'https://bot.partner.example/artifacts/def456/history.csv?expires=1790000000&sig=s2g';

const chart = (url: string) =>
  card('explain', 'units over time', [
    { type: 'header', text: 'Acme — Microsoft 365 E3' },
    {
      type: 'image',
      url,
      altText: 'Units of Microsoft 365 E3 from 2026-01-01 to 2026-06-30',
      title: 'Units over time',
    },
    { type: 'link', label: 'History as CSV', url: CSV },
  ]);

describe('Slack Block Kit', () => {
  it('renders an https image as an image block within the limits', () => {
    const message = renderCardsAsBlocks([chart(URL_HTTPS)]);
    expect(message.blocks).toContainEqual({
      type: 'image',
      image_url: URL_HTTPS,
      alt_text: 'Units of Microsoft 365 E3 from 2026-01-01 to 2026-06-30',
      title: { type: 'plain_text', text: 'Units over time', emoji: true },
    });
    expect(message.blocks).toContainEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: `<${CSV}|History as CSV>` },
    });
    expect(checkBlockKitMessage(message)).toEqual([]);
  });

  it('turns an image Slack cannot fetch (http, or a URL over the limit) into a link in words', () => {
    const long = `https://bot.partner.example/${'x'.repeat(SLACK_LIMITS.imageUrl)}`;
    for (const url of [URL_LOCAL, long]) {
      const message = renderCardsAsBlocks([chart(url)]);
      expect(message.blocks.some((b) => b.type === 'image')).toBe(false);
      expect(JSON.stringify(message.blocks)).toContain('Chart: Units of Microsoft 365 E3');
      expect(checkBlockKitMessage(message)).toEqual([]);
    }
  });

  it('shows an http image when asked to (the playground page)', () => {
    const message = renderCardsAsBlocks([chart(URL_LOCAL)], '/autotask ', { httpImages: true });
    expect(message.blocks.find((b) => b.type === 'image')?.image_url).toBe(URL_LOCAL);
  });

  it('keeps a long alt text and title within their limits', () => {
    const message = renderCardsAsBlocks([
      card('x', 'x', [{ type: 'image', url: URL_HTTPS, altText: 'a'.repeat(5000), title: 't'.repeat(5000) }]),
    ]);
    expect(checkBlockKitMessage(message)).toEqual([]);
  });

  it('has the checker refuse an image block that breaks a limit', () => {
    const problems = checkBlockKitMessage({
      blocks: [{ type: 'image', image_url: 'http://x/y.png', alt_text: '' }],
    });
    expect(problems).toEqual([
      'blocks[0].image_url: must be an https URL Slack can fetch',
      'blocks[0].alt_text: empty',
    ]);
  });
});

describe('Teams Adaptive Card', () => {
  it('renders an https image as an Image element that Microsoft parser accepts', () => {
    const json = renderAdaptiveCard(chart(URL_HTTPS));
    const body = json.body as Record<string, unknown>[];
    expect(body).toContainEqual({
      type: 'Image',
      url: URL_HTTPS,
      altText: 'Units of Microsoft 365 E3 from 2026-01-01 to 2026-06-30',
      size: 'Stretch',
    });
    expect(JSON.stringify(body)).toContain(`[History as CSV](${CSV})`);
    expect(parseAdaptiveCard(json).errors).toEqual([]);
    expect(checkAdaptiveCard(json as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('turns an http image into a link in words, unless asked to show it (the playground)', () => {
    const json = renderAdaptiveCard(chart(URL_LOCAL));
    expect(JSON.stringify(json)).not.toContain('"Image"');
    expect(JSON.stringify(json)).toContain('Chart: Units of Microsoft 365 E3');
    expect(checkAdaptiveCard(json as unknown as Record<string, unknown>)).toEqual([]);
    const shown = renderAdaptiveCard(chart(URL_LOCAL), '@Autotask ', { httpImages: true });
    expect(
      (shown.body as Record<string, unknown>[]).some((e) => e.type === 'Image' && e.url === URL_LOCAL),
    ).toBe(true);
  });
});

describe('text renderer', () => {
  it('writes the chart as a line with its alt text and URL, and the link with its label', () => {
    const text = renderCardAsText(chart(URL_LOCAL));
    expect(text).toContain(`Chart: Units of Microsoft 365 E3 from 2026-01-01 to 2026-06-30 — ${URL_LOCAL}`);
    expect(text).toContain(`History as CSV: ${CSV}`);
  });
});
