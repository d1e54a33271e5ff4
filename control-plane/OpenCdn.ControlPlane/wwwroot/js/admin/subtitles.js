// "Add subtitles" on a ready title: a language tag and an SRT or WebVTT file, sent with
// PUT /api/v1/titles/{id}/subtitles/{language}; the title moves to a new package version.
import { authorizationHeader, ApiError } from '../api.js';

// The table is drawn again every few seconds: each title keeps its one form, so what an admin typed or picked stays.
const forms = new Map();

export function subtitlesControl(title) {
  if (!forms.has(title.id)) forms.set(title.id, createForm(title));
  return forms.get(title.id);
}

function createForm(title) {
  const form = document.createElement('form');
  form.className = 'subtitles-form';
  const language = document.createElement('input');
  language.type = 'text';
  language.size = 5;
  language.placeholder = 'en';
  language.required = true;
  language.pattern = '[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}';
  language.setAttribute('aria-label', `Subtitle language for ${title.name}`);
  const file = document.createElement('input');
  file.type = 'file';
  file.accept = '.srt,.vtt,text/vtt,application/x-subrip';
  file.required = true;
  file.setAttribute('aria-label', `Subtitle file for ${title.name}`);
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.className = 'secondary';
  submit.textContent = 'Add subtitles';
  submit.setAttribute('aria-label', `Add subtitles to ${title.name}`);
  const status = document.createElement('span');
  status.setAttribute('role', 'status');
  form.append(language, file, submit, status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) return;
    status.textContent = 'Publishing…';
    try {
      const published = await put(title.id, language.value.trim(), chosen);
      status.textContent = `Added ${published.cues} cues (${published.language}); now v${published.packageVersion}`;
    } catch (e) {
      status.textContent = `Could not add subtitles: ${e.message}`;
    }
  });
  return form;
}

async function put(titleId, language, file) {
  const type = file.name.toLowerCase().endsWith('.vtt') ? 'text/vtt' : 'application/x-subrip';
  const response = await fetch(`/api/v1/titles/${encodeURIComponent(titleId)}/subtitles/${encodeURIComponent(language)}`, {
    method: 'PUT',
    headers: { ...authorizationHeader(), 'content-type': type, accept: 'application/json' },
    body: file,
  });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      detail = (await response.json()).detail ?? detail;
    } catch {
      // not ProblemDetails
    }
    throw new ApiError(response.status, `${response.status} ${detail}`);
  }
  return response.json();
}
