// The stats overlay over the video: which server serves now, the rendition, buffer, throughput and stalls.

const rows = [
  ['server', 'Server'],
  ['resolution', 'Resolution'],
  ['codec', 'Codec'],
  ['bitrate', 'Bitrate'],
  ['buffer', 'Buffer'],
  ['throughput', 'Throughput'],
  ['stalls', 'Stalls'],
];

export function createOverlay(container) {
  const list = document.createElement('dl');
  list.className = 'overlay';
  list.id = 'stats-overlay';
  list.setAttribute('aria-live', 'off');
  list.setAttribute('aria-label', 'Playback statistics');
  const cells = {};
  for (const [key, label] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.dataset.stat = key;
    cells[key] = dd;
    list.append(dt, dd);
  }
  container.append(list);
  return {
    element: list,
    render(stats) {
      cells.server.textContent = stats.server ?? '—';
      cells.resolution.textContent = stats.height ? `${stats.width}×${stats.height}` : '—';
      cells.codec.textContent = stats.codecs ?? '—';
      cells.bitrate.textContent = stats.bitrateKbps ? `${Math.round(stats.bitrateKbps)} kbit/s` : '—';
      cells.buffer.textContent = `${(stats.bufferSeconds ?? 0).toFixed(1)} s`;
      cells.throughput.textContent = stats.throughputKbps ? `${(stats.throughputKbps / 1000).toFixed(1)} Mbit/s` : '—';
      cells.stalls.textContent = String(stats.stalls);
    },
  };
}
