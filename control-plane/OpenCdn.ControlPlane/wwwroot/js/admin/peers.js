// The admin console's peer-assisted delivery view: media bytes from peers versus servers, in total and per session,
// as this control-plane instance's QoE beacons reported them since it started.
import { bytes, cell } from './format.js';

const percent = (share) => `${(share * 100).toFixed(1)} %`;

export function renderPeers(stats) {
  const summary = document.getElementById('peers-summary');
  const table = document.getElementById('peers-table');
  if (!stats || stats.peerBytes + stats.serverBytes === 0) {
    table.hidden = true;
    summary.textContent = stats
      ? `No player has reported peer-assisted bytes yet (${stats.viewersConnected} viewers connected for peers).`
      : 'Off in this deployment.';
    return;
  }
  summary.textContent = `Peers delivered ${percent(stats.peerShare)} of media bytes (${bytes(stats.peerBytes)} of `
    + `${bytes(stats.peerBytes + stats.serverBytes)}); ${stats.peerFailures} peer requests fell back to a server; `
    + `${stats.viewersConnected} viewers connected for peers on this instance.`;
  table.hidden = false;
  table.tBodies[0].replaceChildren(...stats.sessions.map((s) => {
    const row = document.createElement('tr');
    row.append(cell(s.session), cell(s.titleId), cell(bytes(s.peerBytes)), cell(bytes(s.serverBytes)), cell(percent(s.peerShare)),
      cell(String(s.peerFailures)));
    return row;
  }));
}
