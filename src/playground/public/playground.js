// The playground page: sends what you type and click to the bot's playground adapter and shows
// each answer twice — as Slack shows the Block Kit JSON and as Teams shows the Adaptive Card JSON
// (Microsoft's adaptivecards renderer). The channel on the right is polled every second, so an
// upload's progress moves on its own.
import { renderBlockKit } from './blockKitHtml.js';

const API = '/playground/api';
const $ = (id) => document.getElementById(id);
const state = {
  as: '',
  token: sessionStorage.getItem('playgroundToken') ?? '',
  authenticated: false,
  seq: 0,
};

function headers() {
  const h = { 'content-type': 'application/json' };
  if (state.token) h.authorization = `Bearer ${state.token}`;
  return h;
}

async function call(method, path, body) {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: headers(),
    ...(body ? { body: JSON.stringify({ as: state.as, ...body }) } : {}),
  });
  const data = await res.json().catch(() => ({ message: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(data.message ?? `HTTP ${res.status}`);
  return data;
}

function showError(error) {
  $('error').textContent = error ? String(error.message ?? error) : '';
}

const loadOptions = (blockId, text) =>
  call('POST', '/options', { block_id: blockId, value: text })
    .then((r) => r.options)
    .catch(() => []);

// ---- Teams: Microsoft's renderer with a small markdown step (Teams renders **bold**, _italic_, lists)
const AC = window.AdaptiveCards;
if (AC) {
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    const escd = text.replace(
      /[&<>"]/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c],
    );
    result.outputHtml = escd
      .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
      .replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, '$1<i>$2</i>')
      .replace(/`([^`\n]+)`/g, '<code>$1</code>')
      .replace(/\n/g, '<br>');
    result.didProcess = true;
  };
}

function renderTeams(json) {
  const box = document.createElement('div');
  box.className = 'ac-host';
  if (!AC) {
    box.textContent = 'The adaptivecards renderer is not installed.';
    return box;
  }
  const card = new AC.AdaptiveCard();
  card.hostConfig = new AC.HostConfig({
    fontFamily: 'Segoe UI, system-ui, sans-serif',
    actions: { actionsOrientation: 'horizontal', maxActions: 20, buttonSpacing: 8 },
  });
  card.onExecuteAction = (action) => {
    // Action.Execute and Action.Submit carry the data Teams would post (inputs merged in)
    if (action.data !== undefined) void act({ teams: action.data });
  };
  card.parse(json);
  const node = card.render();
  if (node) box.append(node);
  return box;
}

function renderCards(cards) {
  const both = document.createElement('div');
  both.className = 'renderings';
  const slack = document.createElement('div');
  slack.className = 'slack';
  slack.innerHTML = '<div class="platform">Slack</div>';
  slack.append(renderBlockKit(cards.slack, (action) => void act({ slack: action }), loadOptions));
  const teams = document.createElement('div');
  teams.className = 'teams';
  teams.innerHTML = '<div class="platform">Teams</div>';
  for (const json of cards.teams) teams.append(renderTeams(json));
  both.append(slack, teams);
  return both;
}

function addEntry(who, text, answer) {
  const entry = document.createElement('article');
  entry.className = `entry${answer.denied ? ' denied' : ''}`;
  entry.dataset.command = text;
  const said = document.createElement('div');
  said.className = 'said';
  said.textContent = `${who}: ${text}`;
  entry.append(said, renderCards(answer.cards));
  $('entries').append(entry);
  entry.scrollIntoView({ block: 'start' });
}

async function send(text) {
  showError();
  try {
    const answer = await call('POST', '/command', { text });
    addEntry(state.as || 'you', text, answer);
  } catch (error) {
    showError(error);
  }
  void poll();
}

async function act(body) {
  showError();
  try {
    const answer = await call('POST', '/action', body);
    addEntry(`${state.as || 'you'} clicked`, answer.command, answer);
  } catch (error) {
    showError(error);
  }
  void poll();
}

// ---- the channel: approval cards rewritten in place, failure notifications
async function poll() {
  try {
    const query = new URLSearchParams({ after: String(state.seq), as: state.as });
    const res = await fetch(`${API}/feed?${query}`, { headers: headers() });
    if (!res.ok) return;
    const { seq, posts } = await res.json();
    state.seq = seq;
    for (const post of posts) {
      const feed = $('feed');
      feed.querySelector('.empty')?.remove();
      let node = feed.querySelector(`[data-key="${CSS.escape(post.key)}"]`);
      const fresh = document.createElement('article');
      fresh.className = `post ${post.kind}`;
      fresh.dataset.key = post.key;
      fresh.dataset.run = post.runId;
      fresh.append(renderCards(post.cards));
      if (node) node.replaceWith(fresh);
      else feed.prepend(fresh);
      node = fresh;
    }
  } catch {
    /* the next poll tries again */
  }
}

// the built-in sandbox's fault controls: a failure notification on purpose
function setUpSandboxControls() {
  $('sandbox-controls').hidden = false;
  const sandbox = { slow: false, failing: false, posted: '' };
  const show = () => {
    $('latency').textContent = sandbox.slow ? 'Autotask at full speed' : 'Slow Autotask down';
    $('faults').textContent = sandbox.failing ? 'Make Autotask work again' : 'Make Autotask fail';
    $('fault-state').textContent = [
      sandbox.failing ? 'every write refused (429)' : '',
      sandbox.posted ? `periods posted through ${sandbox.posted}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    document.body.classList.toggle('failing', sandbox.failing || !!sandbox.posted);
  };
  const control = (id, path, body, then) =>
    $(id).addEventListener('click', async () => {
      try {
        then(await call('POST', path, body()));
        show();
      } catch (error) {
        showError(error);
      }
    });
  control(
    'latency',
    '/sandbox/latency',
    () => ({ ms: sandbox.slow ? 0 : 250 }),
    (r) => (sandbox.slow = r.ms > 0),
  );
  control(
    'faults',
    '/sandbox/faults',
    () => ({ failing: !sandbox.failing }),
    (r) => (sandbox.failing = r.failing),
  );
  control(
    'post-periods',
    '/sandbox/post-periods',
    () => ({}),
    (r) => (sandbox.posted = r.postedThrough),
  );
}

async function start() {
  $('token').value = state.token;
  let session;
  try {
    session = await call('GET', '/session');
  } catch (error) {
    // live mode: ask for the token minted with `npx autotask-bot playground-token <user>`
    $('token').hidden = false;
    $('identity').hidden = true;
    showError(error);
    $('token').addEventListener('change', () => {
      sessionStorage.setItem('playgroundToken', $('token').value.trim());
      location.reload();
    });
    return;
  }
  state.authenticated = session.authenticated;
  for (const p of session.people) {
    const option = document.createElement('option');
    option.value = p.identity;
    option.textContent = `${p.identity} — ${p.role ?? 'no role'}${p.note ? ` (${p.note})` : ''}`;
    $('identity').append(option);
  }
  state.as = session.people[0]?.identity ?? '';
  $('identity').addEventListener('change', () => (state.as = $('identity').value));
  if (session.faultControls) setUpSandboxControls();
  $('view').addEventListener(
    'change',
    () => (document.querySelector('.layout').dataset.view = $('view').value),
  );
  $('command-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('command').value.trim();
    if (!text) return;
    $('command').value = '';
    void send(text);
  });
  setInterval(() => void poll(), 1000);
  document.body.dataset.ready = 'true';
}

void start();
