// The edges table (state, load, free disk, inventory, fill progress, fill window), bootstrap tokens, draining (and back),
// revocation and removal.
import { call } from '../api.js';
import { bytes, cell, button, progressBar } from './format.js';

export function setUpEdgeActions(refresh) {
  document.getElementById('create-bootstrap-token').addEventListener('click', async () => {
    const out = document.getElementById('bootstrap-token');
    try {
      const token = await call('/api/v1/edges/bootstrap-tokens', { method: 'POST', body: { uses: 1, expiresInHours: 24 } });
      out.innerHTML = '';
      const code = document.createElement('code');
      code.className = 'token';
      code.id = 'bootstrap-token-value';
      code.textContent = token.token;
      out.append('Give this to the edge operator (one use, until ', new Date(token.expiresAt).toLocaleString(), '): ', code);
    } catch (e) {
      out.textContent = `Could not create a token: ${e.message}`;
    }
  });
  document.querySelector('#edges-table tbody').addEventListener('click', async (event) => {
    const action = event.target.closest('button[data-action]');
    if (!action) return;
    const { edgeId: id, name } = action.closest('tr').dataset;
    const path = `/api/v1/edges/${encodeURIComponent(id)}`;
    if (action.dataset.action === 'drain' || action.dataset.action === 'undrain') {
      await call(`${path}/${action.dataset.action}`, { method: 'POST' });
    } else if (action.dataset.action === 'revoke') {
      if (!confirm(`Revoke ${name}? Its credential stops working at once and it leaves steering and every fill plan.`)) return;
      await call(`${path}/revoke`, { method: 'POST' });
    } else if (action.dataset.action === 'remove') {
      await call(path, { method: 'DELETE' });
    }
    refresh();
  });
}

export async function renderEdges() {
  const error = document.getElementById('edges-error');
  try {
    const edges = await call('/api/v1/edges');
    document.querySelector('#edges-table tbody').replaceChildren(...edges.map(row));
    error.textContent = '';
    document.getElementById('edges-empty').hidden = edges.length > 0;
    return edges;
  } catch (e) {
    error.textContent = `Could not load edges: ${e.message}`;
    return null;
  }
}

function row(edge) {
  const beat = edge.heartbeat;
  const fill = beat?.fill;
  const tr = document.createElement('tr');
  tr.dataset.edgeId = edge.id;
  tr.dataset.name = edge.name;
  const state = cell(edge.state);
  state.className = `state-${edge.state}`;
  const load = beat ? `${beat.activeConnections} conn · ${(beat.egressBitsPerSecond / 1e6).toFixed(1)} Mbit/s` : '—';
  const fillCell = fill
    ? progressBar(fill.bytesDone, fill.bytesTotal, `Fill progress of ${edge.name}`)
    : '—';
  const fillText = fill ? `${fill.filesDone}/${fill.filesTotal} files${fill.inWindow ? ' · filling' : ''}` : '';
  const window = edge.registration?.fillWindow;
  const actions = document.createElement('td');
  const add = (action, text, className) => {
    const b = button(text, className, () => {}, `${text} ${edge.name}`);
    b.dataset.action = action;
    actions.append(b, ' ');
  };
  if (edge.state === 'revoked') {
    add('remove', 'Remove', 'secondary');
  } else {
    if (edge.drained) add('undrain', 'Undrain', 'secondary');
    else add('drain', 'Drain', 'secondary');
    add('revoke', 'Revoke', 'danger');
  }
  const fillTd = cell(fillCell);
  if (fillText) fillTd.append(' ', fillText);
  tr.append(
    cell(edge.name), cell(edge.siteKind), state, cell(load), cell(bytes(beat?.freeDiskBytes)),
    cell(beat ? `${beat.inventory.length} titles` : '—'), fillTd,
    cell(window ? `${window.start.slice(0, 5)}–${window.end.slice(0, 5)} ${window.timeZone}` : '—'), actions);
  return tr;
}
