// One playback with dash.js (loaded as a classic script from /vendor/dash.all.min.js): ABR on, BaseURL priorities
// and content steering as the MPD says, with stats for the overlay, an event log and QoE beacons.
import { EventLog, watchVideo } from './event-log.js';
import { QoeReporter } from './qoe.js';
import { createTrackMenus } from './track-menus.js';
import { installPeerLoader } from './peers/dash-peer-loader.js';
import { videoBufferHealth } from './peers/buffer-health.js';
import { keepsCodec } from './codec-choice.js';

export class DashSession {
  /**
   * `startedAt` is performance.now() when the playback request was made: startup time counts from there. QoE beacons
   * go out for real playback sessions only (`reportQoe`), not for an admin's preview. `peers`: a started PeerAgent
   * (peers/peer-agent.js), or nothing. `codec`: a video codec family (`avc1`, `av01`) to limit playback to, or nothing
   * (the MPD's selectionPriority then makes dash.js start on AV1 where the browser decodes it).
   */
  constructor(video, { manifestUrl, sessionId, titleId, servers, startedAt, reportQoe, peers, codec }) {
    if (!window.dashjs) throw new Error('dash.js is missing: /vendor/dash.all.min.js did not load (run npm ci in control-plane/web and rebuild).');
    this.video = video;
    this.log = new EventLog(startedAt);
    this.stalls = 0;
    this.server = null;
    this.peers = peers ?? null;
    const sample = () => ({ ...this.stats(), server: this.server ?? servers?.[0]?.id, peers: this.peers?.stats });
    this.qoe = reportQoe ? new QoeReporter(sessionId, titleId, sample) : null;
    this.player = dashjs.MediaPlayer().create();
    this.player.updateSettings({
      streaming: {
        // Subtitles start off; the track menus turn them on from the viewer's languages or choice.
        text: { defaultEnabled: false },
        abr: {
          autoSwitchBitrate: { video: true, audio: true },
          throughput: {
            // Resource Timing entries are found by URL, and every segment of an on-demand rendition shares its file's
            // URL (byte ranges): dash.js would measure each segment with the first request's timing (the index). The
            // XHR progress trace of the segment itself is what measures it.
            useResourceTimingApi: false,
            // The default EWMA weighs each sample by its download time, so after a congested spell the fast downloads
            // barely move the estimate. A harmonic mean of the last few segments stays cautious about spikes yet
            // climbs within a few segments when the network recovers.
            averageCalculationMode: 'throughputCalculationModeHarmonicMean',
          },
        },
      },
      debug: { logLevel: dashjs.Debug.LOG_LEVEL_WARNING },
    });
    this.menus = createTrackMenus(video.closest('.player') ?? video, this.trackAdapter(), this.log);
    if (this.peers) {
      this.peers.log = this.log;
      this.peers.health = () => this.bufferHealth();
      installPeerLoader(this.player, this.peers);
    }
    if (codec) this.player.registerCustomCapabilitiesFilter((representation) => keepsCodec(representation.codecs, codec));
    this.listen();
    watchVideo(video, this.log, {
      onFirstFrame: (ms) => this.qoe?.firstFrame(ms),
      onStall: (ms) => {
        this.stalls++;
        this.qoe?.stall(ms);
      },
    });
    this.log.add('load', { manifestUrl: manifestUrl.startsWith('blob:') ? 'preview' : manifestUrl });
    this.player.initialize(video, manifestUrl, true);
  }

  listen() {
    const events = dashjs.MediaPlayer.events;
    this.player.on(events.FRAGMENT_LOADING_COMPLETED, (e) => {
      const request = e.request;
      if (request?.type !== 'MediaSegment') return;
      if (request.serviceLocation) this.server = request.serviceLocation;
      if (request.mediaType !== 'video') return;
      const quality = this.video.getVideoPlaybackQuality?.();
      this.log.add('fragment', {
        representationId: request.representation?.id,
        codecs: request.representation?.codecs,
        height: request.representation?.height,
        bandwidth: request.representation?.bandwidth,
        throughputKbps: Math.round(this.player.getAverageThroughput('video')),
        droppedFrames: quality?.droppedVideoFrames,
        server: request.serviceLocation ?? null,
        startTime: request.startTime,
        bytes: request.bytesLoaded,
      });
    });
    this.player.on(events.QUALITY_CHANGE_RENDERED, (e) => {
      if (e.mediaType !== 'video') return;
      const to = e.newRepresentation;
      this.log.add('qualityChangeRendered', { from: e.oldRepresentation?.id, to: to?.id, height: to?.height, bandwidth: to?.bandwidth });
      if (e.oldRepresentation) this.qoe?.bitrateSwitch();
    });
    this.player.on(events.ERROR, (e) => this.log.add('error', { source: 'dash.js', code: e.error?.code, message: e.error?.message }));
    this.player.on(events.PLAYBACK_ERROR, (e) => this.log.add('error', { source: 'playback', message: String(e.error ?? '') }));
    this.player.on(events.BASE_URLS_UPDATED, () => this.log.add('baseUrlsUpdated'));
    for (const name of ['SERVICE_LOCATION_BASE_URL_BLACKLIST_ADD', 'SERVICE_LOCATION_LOCATION_BLACKLIST_ADD']) {
      if (events[name]) this.player.on(events[name], (e) => this.log.add('serverExcluded', { entry: e.entry }));
    }
    this.player.on(events.THROUGHPUT_MEASUREMENT_STORED, (e) => {
      const v = e.throughputValues;
      this.log.add('throughputSample', { kbps: v.value, bytes: v.downloadedBytes, ms: v.downloadTimeInMs, server: v.serviceLocation });
    });
    this.player.on(events.STREAM_INITIALIZED, () => {
      this.log.add('streamInitialized');
      this.menus.applyDefaults();
    });
    this.player.on(events.TRACK_CHANGE_RENDERED, (e) => this.log.add('trackChangeRendered', { mediaType: e.mediaType, lang: e.newMediaInfo?.lang }));
  }

  /** The audio and text tracks of the MPD for the menus (see track-menus.js). */
  trackAdapter() {
    const player = this.player;
    const describe = (t) => ({ lang: t.lang, role: t.roles?.[0]?.value ?? t.roles?.[0] ?? null, label: t.labels?.[0]?.text ?? null });
    return {
      audio: () => player.getTracksFor('audio').map(describe),
      text: () => player.getTracksFor('text').map(describe),
      currentAudio: () => {
        const current = player.getCurrentTrackFor('audio');
        return player.getTracksFor('audio').findIndex((t) => t.id === current?.id && t.index === current?.index);
      },
      currentText: () => (player.isTextEnabled() ? player.getCurrentTextTrackIndex() : -1),
      selectAudio: (i) => player.setCurrentTrack(player.getTracksFor('audio')[i]),
      selectText: (i) => {
        player.enableText(i >= 0);
        player.setTextTrack(i);
      },
    };
  }

  stats() {
    const representation = this.player.getCurrentRepresentationForType('video');
    return {
      server: this.server,
      width: representation?.width,
      height: representation?.height,
      representationId: representation?.id,
      codecs: representation?.codecs ?? null,
      bitrateKbps: representation ? representation.bandwidth / 1000 : null,
      bufferSeconds: this.player.getBufferLength('video'),
      throughputKbps: this.player.getAverageThroughput('video'),
      stalls: this.stalls,
      currentTime: this.video.currentTime,
    };
  }

  /** The trick-play thumbnail at `time` (dash.js reads the MPD's thumbnail AdaptationSet), or null when there is none. */
  thumbnailAt(time) {
    return new Promise((resolve) => this.player.provideThumbnail(time, (t) =>
      resolve(t?.url ? { url: t.url, x: t.x, y: t.y, width: t.width, height: t.height } : null)));
  }

  /** Media buffered ahead of the playhead, and whether the buffer reaches the end of the title. */
  bufferHealth() {
    return videoBufferHealth(this.video);
  }

  stop() {
    this.qoe?.stop();
    this.menus.remove();
    this.peers?.close();
    this.player.destroy();
    this.log.add('stopped');
  }
}

