// The viewer page: sign in, browse ready titles, play one with dash.js and the stats overlay.
import { call } from './api.js';
import { setUpSignIn } from './signin.js';
import { DashSession } from './dash-session.js';
import { createOverlay } from './overlay.js';
import { requestPlayback, requestPreview } from './playback-source.js';
import { createSeekPreview } from './seek-preview.js';
import { PeerAgent, peersOptedOut, setPeersOptOut } from './peers/peer-agent.js';
import { codecFromQuery } from './codec-choice.js';

const $ = (id) => document.getElementById(id);
const state = { session: null, overlay: null, ticker: null };
// Tests and curious developers: window.opencdn.session is the current DashSession.
window.opencdn = state;

setUpSignIn($('signin'), $('sign-out'), async () => {
  const preview = new URLSearchParams(location.search).get('preview');
  await showCatalog();
  if (preview) await play(preview, { preview: true });
});

async function showCatalog() {
  $('catalog').hidden = false;
  const status = $('catalog-status');
  status.textContent = 'Loading…';
  try {
    const titles = (await call('/api/v1/titles')).filter((t) => t.status === 'ready');
    status.textContent = titles.length ? '' : 'No title is ready yet.';
    $('titles').replaceChildren(...titles.map(card));
  } catch (e) {
    status.textContent = `Could not load the catalog: ${e.message}`;
  }
}

function card(title) {
  const item = document.createElement('li');
  const poster = document.createElement('img');
  poster.src = title.posterUrl ?? '';
  poster.alt = '';
  poster.loading = 'lazy';
  const meta = document.createElement('div');
  meta.className = 'meta';
  const name = document.createElement('span');
  name.textContent = title.name;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Play';
  button.setAttribute('aria-label', `Play ${title.name}`);
  button.dataset.titleId = title.id;
  button.addEventListener('click', () => play(title.id, { preview: false }));
  meta.append(name, button);
  item.append(poster, meta);
  return item;
}

async function play(titleId, { preview }) {
  stop();
  $('play-error').textContent = '';
  $('watch').hidden = false;
  $('play-status').textContent = 'Starting…';
  const startedAt = performance.now();
  try {
    const source = preview ? await requestPreview(titleId) : await requestPlayback(titleId);
    state.playback = source;
    const peers = preview ? null : await startPeers(source.sessionId);
    const codec = codecFromQuery();
    state.session = new DashSession($('video'), { ...source, titleId, startedAt, reportQoe: !preview, peers, codec });
    state.overlay ??= createOverlay($('player'));
    state.seek ??= createSeekPreview($('player'), $('video'), (time) => state.session?.thumbnailAt(time) ?? null);
    state.ticker = setInterval(() => state.overlay.render(state.session.stats()), 500);
    $('play-status').textContent = preview ? 'Preview from origin' : `Session ${source.sessionId}`;
    $('watch').scrollIntoView({ block: 'start' });
  } catch (e) {
    $('play-status').textContent = '';
    $('play-error').textContent = `Cannot play: ${e.message}`;
  }
}

/** Peer-assisted delivery when the deployment offers it and the viewer has not opted out; never in the way of playback. */
async function startPeers(sessionId) {
  try {
    const peers = await PeerAgent.start(sessionId);
    await peers?.ready(2000);
    return peers;
  } catch {
    return null;
  }
}

function stop() {
  clearInterval(state.ticker);
  state.session?.stop();
  state.session = null;
}

// The viewer's own choice, remembered in this browser: off leaves the swarm at once; on takes effect from the next play.
$('peer-sharing').checked = !peersOptedOut();
$('peer-sharing').addEventListener('change', (event) => {
  const sharing = event.currentTarget.checked;
  setPeersOptOut(!sharing);
  if (!sharing) state.session?.peers?.close();
});

$('close-player').addEventListener('click', () => {
  stop();
  $('video').removeAttribute('src');
  $('watch').hidden = true;
});

$('toggle-overlay').addEventListener('click', (event) => {
  const button = event.currentTarget;
  const shown = button.getAttribute('aria-pressed') !== 'true';
  button.setAttribute('aria-pressed', String(shown));
  button.textContent = shown ? 'Hide stats' : 'Show stats';
  if (state.overlay) state.overlay.element.hidden = !shown;
});
