// Where a play starts: the playback API's per-session MPD (viewers), or an admin's preview of a title from origin.
import { call } from './api.js';

/** POST /api/v1/playback/{titleId} → { sessionId, manifestUrl, servers, … } (the manifest needs no token). */
export async function requestPlayback(titleId) {
  return call(`/api/v1/playback/${encodeURIComponent(titleId)}`, { method: 'POST' });
}

/**
 * An admin's preview: the origin-only MPD needs the admin's token, so the page fetches it and hands the player a blob
 * URL (its BaseURL is absolute, so nothing resolves against the blob). There is no playback session; beacons carry a
 * page-made id.
 */
export async function requestPreview(titleId) {
  const mpd = await call(`/api/v1/titles/${encodeURIComponent(titleId)}/manifest.mpd`, { accept: 'application/dash+xml' });
  const manifestUrl = URL.createObjectURL(new Blob([mpd], { type: 'application/dash+xml' }));
  return { sessionId: `preview-${crypto.randomUUID()}`, titleId, manifestUrl, servers: [{ id: 'origin', name: 'origin' }] };
}
