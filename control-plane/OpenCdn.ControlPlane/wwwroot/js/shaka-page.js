// The second DASH client: Shaka Player plays the manifest named in ?manifest= (a per-session MPD needs no token).
import { EventLog, watchVideo } from './event-log.js';
import { PeerAgent } from './peers/peer-agent.js';
import { videoBufferHealth } from './peers/buffer-health.js';
import { registerPeerScheme } from './peers/shaka-peer-scheme.js';

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
  await startPeers(manifest);
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

/** Peer-assisted delivery for a per-session MPD (/api/v1/playback/{sessionId}/manifest.mpd), when offered. */
async function startPeers(manifest) {
  const sessionId = new URL(manifest, location.href).pathname.match(/\/playback\/([^/]+)\/manifest\.mpd$/)?.[1];
  const peers = sessionId ? await PeerAgent.start(decodeURIComponent(sessionId), log).catch(() => null) : null;
  if (!peers) return;
  peers.health = () => videoBufferHealth(video);
  registerPeerScheme(peers);
  await peers.ready(2000);
  window.opencdn.peers = peers;
}

const active = (player) => player.getVariantTracks().find((t) => t.active);

start().catch((e) => {
  log.add('error', { source: 'page', code: e.code, message: e.message });
  document.getElementById('error').textContent = `Cannot play: ${e.message ?? e.code}`;
});
