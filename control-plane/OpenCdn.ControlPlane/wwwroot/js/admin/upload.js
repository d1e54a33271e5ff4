// Upload a master: create the title, send the file with tus-js-client (resumable, with the bearer token), then
// follow the title through transcoding until it is ready or failed.
import { call, authorizationHeader } from '../api.js';

const $ = (id) => document.getElementById(id);

export function setUpUpload(onTitleChanged) {
  $('upload-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const file = form.file.files[0];
    $('upload-error').textContent = '';
    setProgress(0);
    try {
      if (!window.tus) throw new Error('tus-js-client is missing: /vendor/tus.min.js did not load.');
      const title = await call('/api/v1/titles', { method: 'POST', body: { name: form.name.value } });
      status(`Uploading “${title.name}”…`);
      onTitleChanged();
      await upload(file, title.uploadUrl);
      status('Uploaded; waiting for the transcode…');
      const outcome = await follow(title.id, onTitleChanged);
      status(outcome.status === 'ready' ? `“${outcome.name}” is ready.` : `“${outcome.name}” failed: ${outcome.failureReason ?? 'no reason given'}`);
      $('upload-status').dataset.outcome = outcome.status;
    } catch (e) {
      $('upload-error').textContent = `Upload failed: ${e.message}`;
    }
  });
}

function upload(file, endpoint) {
  return new Promise((resolve, reject) => {
    const request = new tus.Upload(file, {
      endpoint: new URL(endpoint, location.href).href,
      headers: authorizationHeader(),
      metadata: { filename: file.name, filetype: file.type },
      chunkSize: 8 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000],
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => setProgress(total ? (sent / total) * 100 : 0),
      onSuccess: () => {
        setProgress(100);
        resolve();
      },
      onError: reject,
    });
    request.findPreviousUploads().then((previous) => {
      if (previous.length) request.resumeFromPreviousUpload(previous[0]);
      request.start();
    });
  });
}

async function follow(titleId, onTitleChanged) {
  for (;;) {
    const title = await call(`/api/v1/titles/${titleId}`);
    onTitleChanged();
    if (title.status === 'ready' || title.status === 'failed') return title;
    status(`${title.status}${title.status === 'transcoding' ? ` ${title.progress} %` : ''}…`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function setProgress(percent) {
  const rounded = Math.floor(percent);
  $('upload-progress').value = rounded;
  $('upload-percent').textContent = `${rounded} %`;
}

const status = (text) => {
  $('upload-status').textContent = text;
};
