// How much a player holds: what decides how long a peer may take, and whether this viewer uploads.

/** Media buffered ahead of the playhead, and whether the buffer reaches the end of the title. */
export function videoBufferHealth(video) {
  const ranges = video.buffered;
  const end = ranges.length ? ranges.end(ranges.length - 1) : 0;
  return {
    aheadSeconds: Math.max(0, end - video.currentTime),
    toEnd: Number.isFinite(video.duration) && ranges.length > 0 && end >= video.duration - 0.5,
  };
}
