// A seek bar under the video that shows the trick-play thumbnail of the time under the pointer. `thumbnailAt(time)`
// resolves to { url, x, y, width, height } (a cell of a JPEG tile, as the player read it from the MPD's DASH-IF
// thumbnail AdaptationSet) or null; the cell is shown with CSS background-position, so one tile serves 100 previews.

export function createSeekPreview(after, video, thumbnailAt) {
  const seek = document.createElement('div');
  seek.className = 'seek';
  const preview = document.createElement('div');
  preview.className = 'seek-preview';
  preview.hidden = true;
  preview.setAttribute('role', 'img');
  const label = document.createElement('span');
  preview.append(label);
  const bar = document.createElement('input');
  bar.type = 'range';
  bar.className = 'seek-bar';
  bar.setAttribute('aria-label', 'Seek');
  Object.assign(bar, { min: 0, max: 0, step: 0.1, value: 0 });
  seek.append(preview, bar);
  after.after(seek);

  const sync = () => {
    bar.max = Number.isFinite(video.duration) ? video.duration : 0;
    if (document.activeElement !== bar) bar.value = video.currentTime;
  };
  for (const name of ['durationchange', 'timeupdate', 'seeked']) video.addEventListener(name, sync);
  bar.addEventListener('input', () => { video.currentTime = Number(bar.value); });

  let asked = 0;
  bar.addEventListener('pointermove', async (event) => {
    const box = bar.getBoundingClientRect();
    const duration = Number(bar.max);
    if (!duration || !box.width) return;
    const time = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1) * duration;
    const ask = ++asked;
    const thumbnail = await Promise.resolve(thumbnailAt(time)).catch(() => null);
    if (ask !== asked) return; // the pointer moved on while this one was looked up
    label.textContent = clock(time);
    preview.setAttribute('aria-label', `Preview at ${clock(time)}`);
    preview.dataset.time = time.toFixed(2);
    if (!thumbnail?.url) {
      preview.hidden = true;
      return;
    }
    Object.assign(preview.style, {
      width: `${thumbnail.width}px`,
      height: `${thumbnail.height}px`,
      backgroundImage: `url("${thumbnail.url}")`,
      backgroundPosition: `-${thumbnail.x}px -${thumbnail.y}px`,
      left: `${Math.min(Math.max(event.clientX - box.left - thumbnail.width / 2, 0), Math.max(box.width - thumbnail.width, 0))}px`,
    });
    preview.hidden = false;
  });
  bar.addEventListener('pointerleave', () => {
    asked++;
    preview.hidden = true;
  });
  return { element: seek, preview };
}

function clock(seconds) {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
