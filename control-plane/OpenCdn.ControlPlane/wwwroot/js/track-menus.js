// The audio-language and subtitle menus under a player, for dash.js and Shaka alike. A player adapter gives
// `audio()` and `text()` (lists of { lang, role, label }), `selectAudio(i)`, `selectText(i or -1)`, and the indexes of
// what plays now. Defaults follow the browser's languages: the first main track in a language the viewer reads,
// and subtitles only when that audio is not in the viewer's first language but subtitles are.
import { languageName, preferred, primary } from './languages.js';

export function createTrackMenus(container, adapter, log) {
  const bar = document.createElement('div');
  bar.className = 'toolbar track-menus';
  const audio = menu('audio-menu', 'Audio');
  const text = menu('subtitle-menu', 'Subtitles');
  bar.append(audio.label, audio.select, text.label, text.select);
  container.after(bar);

  const refresh = () => {
    const audioTracks = adapter.audio();
    const textTracks = adapter.text();
    audio.select.replaceChildren(...audioTracks.map((t, i) => option(i, describe(t), t)));
    text.select.replaceChildren(option(-1, 'Off'), ...textTracks.map((t, i) => option(i, describe(t), t)));
    audio.label.hidden = audio.select.hidden = audioTracks.length < 2;
    text.label.hidden = text.select.hidden = textTracks.length === 0;
    audio.select.value = String(adapter.currentAudio());
    text.select.value = String(adapter.currentText());
  };

  const applyDefaults = () => {
    const audioTracks = adapter.audio();
    const main = audioTracks.map((t, i) => ({ t, i })).filter(({ t }) => !t.role || t.role === 'main');
    const pick = preferred(main.map(({ t }) => t.lang));
    const audioIndex = pick >= 0 ? main[pick].i : adapter.currentAudio();
    if (audioIndex >= 0 && audioIndex !== adapter.currentAudio()) adapter.selectAudio(audioIndex);
    const textTracks = adapter.text();
    const first = (navigator.languages ?? [navigator.language])[0];
    const heard = audioTracks[audioIndex]?.lang;
    const subtitle = textTracks.findIndex((t) => primary(t.lang) === primary(first));
    adapter.selectText(heard && primary(heard) !== primary(first) && subtitle >= 0 ? subtitle : -1);
    log?.add('tracksDefault', { audio: audioTracks[audioIndex]?.lang ?? null, text: textTracks[subtitle]?.lang ?? null });
    refresh();
  };

  audio.select.addEventListener('change', () => {
    const i = Number(audio.select.value);
    adapter.selectAudio(i);
    log?.add('audioTrackSelected', { lang: adapter.audio()[i]?.lang, role: adapter.audio()[i]?.role });
  });
  text.select.addEventListener('change', () => {
    const i = Number(text.select.value);
    adapter.selectText(i);
    log?.add('textTrackSelected', { lang: i >= 0 ? adapter.text()[i]?.lang : null });
  });
  return { applyDefaults, refresh, remove: () => bar.remove() };
}

function menu(id, text) {
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = text;
  const select = document.createElement('select');
  select.id = id;
  return { label, select };
}

function option(value, text, track) {
  const o = document.createElement('option');
  o.value = String(value);
  o.textContent = text;
  if (track) {
    o.dataset.lang = primary(track.lang);
    o.dataset.role = track.role ?? '';
  }
  return o;
}

function describe(track) {
  const name = track.label || languageName(track.lang);
  return track.role && !['main', 'subtitle'].includes(track.role) && !track.label ? `${name} (${track.role})` : name;
}
