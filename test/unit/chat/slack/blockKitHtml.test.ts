// The playground draws the Slack renderer's Block Kit as HTML (src/playground/public/blockKitHtml.js).
// Text from data (customer and product names) must stay text: nothing in it becomes markup.
import { card } from '../../../../src/chat/cardModel.js';
import { renderCardsAsBlocks } from '../../../../src/chat/slack/blockKitRenderer.js';

type MrkdwnToHtml = (text: string) => string;
let mrkdwnToHtml: MrkdwnToHtml;
beforeAll(async () => {
  const path = '../../../../src/playground/public/blockKitHtml.js';
  ({ mrkdwnToHtml } = (await import(path)) as { mrkdwnToHtml: MrkdwnToHtml });
});

const sectionText = (text: string) => {
  const message = renderCardsAsBlocks([card('t', 's', [{ type: 'text', text }])]);
  return (message.blocks[0] as { text: { text: string } }).text.text;
};

describe('Block Kit mrkdwn as HTML', () => {
  it('keeps markup from data as text', () => {
    const html = mrkdwnToHtml(
      sectionText('Customer <img src=x onerror="alert(1)"> & "Co" <script>x</script>'),
    );
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('&amp; &quot;Co&quot;');
  });

  it('draws bold, italic, code, code blocks and line breaks the way Slack does', () => {
    const html = mrkdwnToHtml(sectionText('*Valid* — _3 runs_ `validate acme`\nnext\n```a  b\n<c>```'));
    expect(html).toContain('<b>Valid</b>');
    expect(html).toContain('<i>3 runs</i>');
    expect(html).toContain('<code>validate acme</code>');
    expect(html).toContain('<br>next<br>');
    expect(html).toContain('<pre class="bk-pre">a  b\n&lt;c&gt;</pre>');
  });

  it('turns links and mentions into elements, and only those', () => {
    expect(mrkdwnToHtml('see <https://example.com/x?a=1|the run> by <@U123>')).toBe(
      'see <a href="https://example.com/x?a=1" target="_blank" rel="noopener">the run</a> by <span class="bk-mention">@U123</span>',
    );
    expect(mrkdwnToHtml('<javascript:alert(1)|x>')).not.toContain('<a');
  });
});
