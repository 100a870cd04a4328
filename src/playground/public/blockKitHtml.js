// Block Kit JSON (as the bot's Slack renderer made it) → HTML that looks and behaves like Slack:
// header, section (mrkdwn text, fields, a select accessory), context, divider, image, actions (buttons
// with their confirmation dialogs, static and external selects). Only what the bot emits.
// `onAction(action)` gets what Slack would send in block_actions: { type, value, block_id,
// action_id, selected_option }; `loadOptions(blockId, text)` plays Slack's options request.

const esc = (text) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

/** Slack mrkdwn → HTML. The text arrives escaped the Slack way (&amp; &lt; &gt;). */
export function mrkdwnToHtml(text) {
  const codeBlocks = [];
  let s = String(text).replace(/```([\s\S]*?)```/g, (_m, code) => {
    codeBlocks.push(code);
    return `\uE000${codeBlocks.length - 1}\uE000`;
  });
  const links = [];
  s = s
    .replace(/<(https?:\/\/[^|>\s]+)\|([^>]+)>/g, (_m, url, label) => {
      links.push(`<a href="${esc(url)}" target="_blank" rel="noopener">${label}</a>`);
      return `\uE001${links.length - 1}\uE001`;
    })
    .replace(/<@([A-Z0-9]+)>/g, (_m, id) => {
      links.push(`<span class="bk-mention">@${esc(id)}</span>`);
      return `\uE001${links.length - 1}\uE001`;
    })
    // the text is already entity-escaped; only stray quotes and brackets are left to make safe
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/&(?!(amp|lt|gt|quot|#\d+);)/g, '&amp;');
  s = s
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1<s>$2</s>')
    .replace(/\n/g, '<br>');
  s = s.replace(/\uE001(\d+)\uE001/g, (_m, i) => links[Number(i)]);
  return s.replace(/\uE000(\d+)\uE000/g, (_m, i) => {
    const code = codeBlocks[Number(i)]
      .replace(/"/g, '&quot;')
      .replace(/&(?!(amp|lt|gt|quot|#\d+);)/g, '&amp;');
    return `<pre class="bk-pre">${code}</pre>`;
  });
}

const textHtml = (t) => (!t ? '' : t.type === 'mrkdwn' ? mrkdwnToHtml(t.text) : esc(t.text));

function el(tag, className, html) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (html !== undefined) node.innerHTML = html;
  return node;
}

function renderButton(element, blockId, onAction) {
  const button = el(
    'button',
    `bk-button${element.style ? ` bk-${element.style}` : ''}`,
    esc(element.text.text),
  );
  button.type = 'button';
  button.dataset.value = element.value ?? '';
  button.addEventListener('click', () => {
    const c = element.confirm;
    // Slack's confirmation dialog: title, text, confirm and deny buttons
    if (c && !window.confirm(`${c.title.text}\n\n${c.text.text}\n\n[${c.confirm.text}] / [${c.deny.text}]`))
      return;
    onAction({ type: 'button', value: element.value, block_id: blockId, action_id: element.action_id });
  });
  return button;
}

function renderSelect(element, blockId, onAction, loadOptions) {
  const select = el('select', 'bk-select');
  select.setAttribute('aria-label', element.placeholder?.text ?? 'choose');
  const placeholder = el('option', '', esc(element.placeholder?.text ?? 'Choose…'));
  placeholder.value = '';
  select.append(placeholder);
  const fill = (options) => {
    for (const o of options) {
      const option = el('option', '', esc(o.text.text));
      option.value = o.value;
      select.append(option);
    }
  };
  if (element.type === 'static_select') {
    for (const group of element.option_groups ?? []) fill(group.options);
    fill(element.options ?? []);
  } else {
    // external_select: Slack asks the bot's options endpoint with what is typed; here, once
    select.dataset.external = 'true';
    void loadOptions(blockId, '').then((options) =>
      fill(options.map((o) => ({ text: { text: o.label }, value: o.value }))),
    );
  }
  select.addEventListener('change', () => {
    if (!select.value) return;
    onAction({
      type: element.type,
      block_id: blockId,
      action_id: element.action_id,
      selected_option: { value: select.value },
    });
  });
  return select;
}

/** One Slack message (its blocks) as a DOM node. */
export function renderBlockKit(message, onAction, loadOptions) {
  const root = el('div', 'bk-message');
  for (const block of message.blocks ?? []) {
    switch (block.type) {
      case 'header':
        root.append(el('div', 'bk-header', esc(block.text.text)));
        break;
      case 'section': {
        const section = el('div', 'bk-section');
        const body = el('div', 'bk-section-body');
        if (block.text) body.append(el('div', 'bk-text', textHtml(block.text)));
        if (block.fields?.length) {
          const fields = el('div', 'bk-fields');
          for (const f of block.fields) fields.append(el('div', 'bk-field', textHtml(f)));
          body.append(fields);
        }
        section.append(body);
        const acc = block.accessory;
        if (acc?.type === 'button') section.append(renderButton(acc, block.block_id, onAction));
        else if (acc && acc.type.endsWith('_select'))
          section.append(renderSelect(acc, block.block_id, onAction, loadOptions));
        root.append(section);
        break;
      }
      case 'context':
        root.append(el('div', 'bk-context', block.elements.map((e) => textHtml(e)).join(' ')));
        break;
      case 'divider':
        root.append(el('hr', 'bk-divider'));
        break;
      case 'image': {
        const figure = el('figure', 'bk-image');
        if (block.title) figure.append(el('figcaption', 'bk-image-title', esc(block.title.text)));
        const img = document.createElement('img');
        img.src = /^https?:\/\//.test(block.image_url) ? block.image_url : '';
        img.alt = block.alt_text;
        figure.append(img);
        root.append(figure);
        break;
      }
      case 'actions': {
        const actions = el('div', 'bk-actions');
        for (const e of block.elements) {
          if (e.type === 'button') actions.append(renderButton(e, block.block_id, onAction));
          else if (e.type.endsWith('_select'))
            actions.append(renderSelect(e, block.block_id, onAction, loadOptions));
        }
        root.append(actions);
        break;
      }
      default:
        root.append(el('div', 'bk-unknown', `(${esc(block.type)} block)`));
    }
  }
  return root;
}
