// The admin console: sign in as an admin, then keep the titles, edges and charts fresh.
import { call, ApiError } from '../api.js';
import { setUpSignIn } from '../signin.js';
import { setUpUpload } from './upload.js';
import { renderTitles } from './titles.js';
import { renderEdges, setUpEdgeActions } from './edges.js';
import { sampleEgress, renderSteering, renderQoe } from './charts.js';
import { renderPeers } from './peers.js';

let qoe = null;
let titles = [];

async function refreshTitles() {
  titles = await renderTitles(qoe);
}

async function refreshEdges() {
  sampleEgress(await renderEdges());
}

async function refreshStats() {
  qoe = await optional('/api/v1/stats/qoe');
  renderQoe(qoe, titles);
  renderSteering(await optional('/api/v1/stats/steering'));
  renderPeers(await optional('/api/v1/stats/peers'));
}

/** A statistics route that may not exist on this control plane yet: missing is null, not an error. */
async function optional(path) {
  try {
    return await call(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

setUpSignIn(document.getElementById('signin'), document.getElementById('sign-out'), async () => {
  document.getElementById('console').hidden = false;
  setUpUpload(refreshTitles);
  setUpEdgeActions(refreshEdges);
  await refreshStats().catch(() => {});
  await Promise.all([refreshTitles(), refreshEdges()]);
  setInterval(refreshTitles, 5000);
  setInterval(refreshEdges, 5000);
  setInterval(() => refreshStats().catch(() => {}), 10000);
}, 'admin');
