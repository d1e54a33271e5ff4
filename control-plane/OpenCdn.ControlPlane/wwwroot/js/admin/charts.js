// The console's charts (Chart.js): egress per edge sampled by this page, steering outcomes, top titles, and the
// startup-time and stall distributions reported by players.
const maxSamples = 60;
const charts = {};

function chart(id, config) {
  if (!window.Chart) return null;
  charts[id] ??= new Chart(document.getElementById(id), { ...config, options: { animation: false, responsive: true, ...config.options } });
  return charts[id];
}

/** Adds one sample of every edge's egress (from its last heartbeat) to the time series. */
export function sampleEgress(edges) {
  const c = chart('chart-egress', { type: 'line', data: { labels: [], datasets: [] }, options: { scales: { y: { beginAtZero: true } } } });
  if (!c || !edges) return;
  c.data.labels.push(new Date().toLocaleTimeString());
  for (const edge of edges) {
    let set = c.data.datasets.find((d) => d.edgeId === edge.id);
    if (!set) {
      set = { edgeId: edge.id, label: edge.name, data: new Array(c.data.labels.length - 1).fill(null), pointRadius: 0 };
      c.data.datasets.push(set);
    }
    set.data.push((edge.heartbeat?.egressBitsPerSecond ?? 0) / 1e6);
  }
  if (c.data.labels.length > maxSamples) {
    c.data.labels.shift();
    c.data.datasets.forEach((d) => d.data.shift());
  }
  c.update();
}

/** Steering outcomes from GET /api/v1/stats/steering, when the control plane has it. */
export function renderSteering(stats) {
  const note = document.getElementById('steering-note');
  if (!stats) {
    note.textContent = 'No steering statistics yet.';
    return;
  }
  note.textContent = '';
  const labels = ['hits', 'contentMisses', 'healthMisses', 'other'];
  const c = chart('chart-steering', { type: 'doughnut', data: { labels: ['hit', 'content miss', 'health miss', 'other'], datasets: [{ data: [] }] } });
  if (!c) return;
  c.data.datasets[0].data = labels.map((k) => count(stats[k]));
  c.update();
}

const count = (value) => (typeof value === 'number' ? value : value?.count ?? 0);

/** Top titles by plays, and the startup / stall histograms, from GET /api/v1/stats/qoe. */
export function renderQoe(qoe, titles) {
  if (!qoe) return;
  const names = Object.fromEntries((titles ?? []).map((t) => [t.id, t.name]));
  const top = Object.entries(qoe.byTitle).sort((a, b) => b[1].plays - a[1].plays).slice(0, 10);
  bars('chart-top', top.map(([id]) => names[id] ?? id), top.map(([, s]) => s.plays), 'plays', 'y');
  const buckets = bucketLabels(qoe.bucketBoundsMs);
  bars('chart-startup', buckets, qoe.total.startupBuckets, 'plays');
  bars('chart-stalls', buckets, qoe.total.stallBuckets, 'stalls');
}

function bars(id, labels, data, label, indexAxis = 'x') {
  const c = chart(id, { type: 'bar', data: { labels, datasets: [{ label, data }] }, options: { indexAxis, plugins: { legend: { display: false } } } });
  if (!c) return;
  c.data.labels = labels;
  c.data.datasets[0].data = data;
  c.update();
}

function bucketLabels(bounds) {
  const ms = (v) => (v >= 1000 ? `${v / 1000} s` : `${v} ms`);
  return [...bounds.map((b) => `≤ ${ms(b)}`), `> ${ms(bounds[bounds.length - 1])}`];
}
