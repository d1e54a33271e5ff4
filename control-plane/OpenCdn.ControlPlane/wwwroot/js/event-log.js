// A player's event log: what happened and when (ms since the play was requested). Tests save it as an artifact.
export class EventLog {
  constructor(startedAt = performance.now()) {
    this.startedAt = startedAt;
    this.entries = [];
  }

  add(event, detail = {}) {
    const entry = { atMs: Math.round(performance.now() - this.startedAt), event, ...detail };
    this.entries.push(entry);
    if (this.entries.length > 5000) this.entries.shift();
    return entry;
  }

  errors() {
    return this.entries.filter((e) => e.event === 'error');
  }
}

/**
 * Watches a <video> for the first frame and for stalls (waiting after the first frame, not caused by a seek).
 * Calls `onFirstFrame(ms)` once and `onStall(ms)` when each stall ends.
 */
export function watchVideo(video, log, { onFirstFrame, onStall }) {
  let firstFrame = false;
  let stallStart = null;
  const frame = () => {
    if (firstFrame) return;
    firstFrame = true;
    const ms = performance.now() - log.startedAt;
    log.add('firstFrame', { startupMs: Math.round(ms) });
    onFirstFrame(ms);
  };
  if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(frame);
  else video.addEventListener('playing', frame, { once: true });
  video.addEventListener('waiting', () => {
    if (!firstFrame || video.seeking || stallStart !== null) return;
    stallStart = performance.now();
    log.add('stallStart', { currentTime: video.currentTime });
  });
  video.addEventListener('playing', () => {
    if (stallStart === null) return;
    const ms = performance.now() - stallStart;
    stallStart = null;
    log.add('stallEnd', { durationMs: Math.round(ms) });
    onStall(ms);
  });
  video.addEventListener('error', () => log.add('error', { source: 'video', code: video.error?.code, message: video.error?.message }));
}
