// The second DASH client: Shaka Player plays the manifest named in ?manifest= (a per-session MPD needs no token).
import { EventLog, watchVideo } from './event-log.js';

const video = document.getElementById('video');
const log = new EventLog();
window.opencdn = { log, video };

async function start() {
  const manifest = new URLSearchParams(location.search).get('manifest');
  if (!manifest) {
    document.getElementById('status').textContent = 'No ?manifest= given.';
    return;
  }
  if (!window.shaka) throw new Error('Shaka Player is missing: /vendor/shaka-player.compiled.js did not load.');
  shaka.polyfill.installAll();
  const player = new shaka.Player();
  window.opencdn.player = player;
  await player.attach(video);
  player.addEventListener('error', (e) => log.add('error', { source: 'shaka', code: e.detail?.code, message: e.detail?.message }));
  player.addEventListener('adaptation', () => log.add('adaptation', { height: active(player)?.height }));
  watchVideo(video, log, { onFirstFrame: () => {}, onStall: () => {} });
  log.add('load', { manifest });
  await player.load(manifest);
  document.getElementById('status').textContent = `Playing with Shaka Player ${shaka.Player.version}`;
  await video.play();
}

const active = (player) => player.getVariantTracks().find((t) => t.active);

start().catch((e) => {
  log.add('error', { source: 'page', code: e.code, message: e.message });
  document.getElementById('error').textContent = `Cannot play: ${e.message ?? e.code}`;
});
