// The second DASH client: Shaka Player plays the manifest named in ?manifest= (a per-session MPD needs no token), with
// peer-assisted delivery when the manifest is a playback session's, the deployment offers it and the viewer kept it on.
import { EventLog, watchVideo } from './event-log.js';
import { createTrackMenus } from './track-menus.js';
import { createSeekPreview } from './seek-preview.js';
import { PeerAgent } from './peers/peer-agent.js';
import { videoBufferHealth } from './peers/buffer-health.js';
import { installScheme } from './shaka-scheme.js';
import { codecFromQuery } from './codec-choice.js';

const video = document.getElementById('video');
const log = new EventLog();
// Tests read the playing video codec through window.opencdn.videoCodec().
window.opencdn = { log, video, videoCodec: () => null };

async function start() {
  const manifest = new URLSearchParams(location.search).get('manifest');
  if (!manifest) {
    document.getElementById('status').textContent = 'No ?manifest= given.';
    return;
  }
  if (!window.shaka) throw new Error('Shaka Player is missing: /vendor/shaka-player.compiled.js did not load.');
  const codec = codecFromQuery();
  shaka.polyfill.installAll();
  window.opencdn.peers = await startPeers(manifest);
  installScheme(window.opencdn.peers);
  const player = new shaka.Player();
  // ?codec= limits the video codec; otherwise Shaka picks, among the codecs the browser decodes, the one whose
  // ladder costs the fewest bits (AV1 where it can).
  if (codec) player.configure({ preferredVideo: [{ codec }] });
  // With peers, the browser's own network estimate (which Chromium revises as it goes, so that two viewers of one swarm
  // start on different rungs and hold segments the other never asks for) gives way to Shaka's measured downloads.
  if (window.opencdn.peers) player.configure({ abr: { useNetworkInformation: false } });
  window.opencdn.player = player;
  window.opencdn.videoCodec = () => active(player)?.videoCodec ?? null;
  await player.attach(video);
  player.addEventListener('error', (e) => log.add('error', { source: 'shaka', code: e.detail?.code, message: e.detail?.message }));
  player.addEventListener('adaptation', () => log.add('adaptation', { height: active(player)?.height, codecs: active(player)?.videoCodec }));
  watchVideo(video, log, { onFirstFrame: () => {}, onStall: () => {} });
  log.add('load', { manifest });
  await player.load(manifest);
  const menus = createTrackMenus(video.closest('.player') ?? video, trackAdapter(player), log);
  window.opencdn.menus = menus;
  menus.applyDefaults();
  player.addEventListener('trackschanged', () => menus.refresh());
  createSeekPreview(video.parentElement, video, (time) => thumbnailAt(player, time));
  document.getElementById('status').textContent = `Playing with Shaka Player ${shaka.Player.version}`;
  await video.play();
}

/** Shaka's audio tracks (one per language, role and label: a stereo and a 5.1 encode are one) and text tracks. */
function trackAdapter(player) {
  const audio = () => {
    const seen = new Map();
    for (const t of player.getAudioTracks()) {
      const key = `${t.language}|${t.roles.join(',')}|${t.label ?? ''}`;
      if (!seen.has(key) || t.active) seen.set(key, t);
    }
    return [...seen.values()];
  };
  const describe = (t) => ({ lang: t.language, role: t.roles?.[0] ?? null, label: t.label ?? null });
  return {
    audio: () => audio().map(describe),
    text: () => player.getTextTracks().map(describe),
    currentAudio: () => audio().findIndex((t) => t.active),
    currentText: () => player.getTextTracks().findIndex((t) => t.active),
    selectAudio: (i) => player.selectAudioTrack(audio()[i]),
    selectText: (i) => player.selectTextTrack(i >= 0 ? player.getTextTracks()[i] : null),
  };
}

// Shaka's thumbnail for `time` from the MPD's first image (thumbnail) track, in the seek preview's terms.
async function thumbnailAt(player, time) {
  const track = player.getImageTracks()[0];
  const thumbnail = track ? await player.getThumbnails(track.id, time) : null;
  if (!thumbnail?.uris?.length) return null;
  const { uris, positionX: x, positionY: y, width, height } = thumbnail;
  return { url: uris[0], x, y, width, height };
}

/** A started PeerAgent for the session whose MPD this is (/api/v1/playback/{sessionId}/manifest.mpd), or null. */
async function startPeers(manifest) {
  const sessionId = /\/api\/v1\/playback\/([^/]+)\/manifest\.mpd$/.exec(new URL(manifest, location.href).pathname)?.[1];
  try {
    const peers = sessionId ? await PeerAgent.start(decodeURIComponent(sessionId), log) : null;
    if (!peers) return null;
    peers.health = () => videoBufferHealth(video);
    await peers.ready(2000);
    return peers;
  } catch {
    return null; // never in the way of playback
  }
}

const active = (player) => player.getVariantTracks().find((t) => t.active);

start().catch((e) => {
  log.add('error', { source: 'page', code: e.code, message: e.message });
  document.getElementById('error').textContent = `Cannot play: ${e.message ?? e.code}`;
});
