// The titles table: status and transcode progress, package version, plays reported by players; preview and retire.
import { call } from '../api.js';
import { cell, button } from './format.js';
import { subtitlesControl } from './subtitles.js';

export async function renderTitles(qoe) {
  const error = document.getElementById('titles-error');
  try {
    const titles = await call('/api/v1/titles');
    const rows = titles.map((title) => row(title, qoe?.byTitle?.[title.id]));
    document.querySelector('#titles-table tbody').replaceChildren(...rows);
    error.textContent = '';
    return titles;
  } catch (e) {
    error.textContent = `Could not load titles: ${e.message}`;
    return [];
  }
}

function row(title, stats) {
  const tr = document.createElement('tr');
  tr.dataset.titleId = title.id;
  const name = title.status === 'ready' ? link(`/?preview=${encodeURIComponent(title.id)}`, title.name, `Preview ${title.name} from origin`) : title.name;
  const status = cell(title.status === 'failed' ? `failed: ${title.failureReason ?? ''}` : title.status);
  status.className = `status-${title.status}`;
  status.dataset.status = title.status;
  for (const note of title.notes ?? []) {
    const p = document.createElement('p');
    p.className = 'note';
    p.textContent = note;
    status.append(p);
  }
  const progress = title.status === 'transcoding' ? `${title.progress} %` : title.status === 'ready' ? '100 %' : '';
  const retire = button('Retire', 'danger', async () => {
    if (!confirm(`Retire “${title.name}”? It leaves the catalog, the fill plans and origin.`)) return;
    await call(`/api/v1/titles/${title.id}`, { method: 'DELETE' });
    tr.remove();
  }, `Retire ${title.name}`);
  const actions = cell(retire);
  if (title.status === 'ready') actions.prepend(subtitlesControl(title));
  tr.append(cell(name), status, cell(progress), cell(title.packageVersion ? `v${title.packageVersion}` : '—'), cell(String(stats?.plays ?? 0)), actions);
  return tr;
}

function link(href, text, label) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  a.title = label;
  return a;
}
