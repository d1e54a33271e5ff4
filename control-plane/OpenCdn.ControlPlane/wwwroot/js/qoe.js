// QoE beacons to POST /api/v1/qoe: startup time once, then every interval what changed (stalls, switches), plus the
// player's throughput, bitrate and server. The last beacon goes out with sendBeacon when the page is left.

const intervalMs = 10_000;

export class QoeReporter {
  constructor(sessionId, titleId, sample) {
    this.base = { sessionId, titleId };
    this.sample = sample; // () => ({ server, throughputKbps, bitrateKbps })
    this.startupMs = null;
    this.stallsMs = [];
    this.switches = 0;
    this.peersSent = { peerBytes: 0, serverBytes: 0, peerFailures: 0 };
    this.timer = setInterval(() => this.send(false), intervalMs);
    this.onHide = () => this.send(true);
    addEventListener('pagehide', this.onHide);
  }

  firstFrame(ms) {
    this.startupMs = ms;
    this.send(false);
  }

  stall(ms) {
    this.stallsMs.push(ms);
  }

  bitrateSwitch() {
    this.switches++;
  }

  stop() {
    clearInterval(this.timer);
    removeEventListener('pagehide', this.onHide);
    this.send(true);
  }

  /** With peer-assisted delivery: media bytes from peers and from servers, and failed peer requests, since the last beacon. */
  peerDeltas(peers) {
    if (!peers) return {};
    const deltas = {};
    for (const name of Object.keys(this.peersSent)) {
      deltas[name] = peers[name] - this.peersSent[name];
      this.peersSent[name] = peers[name];
    }
    return deltas;
  }

  send(leaving) {
    const { server, throughputKbps, bitrateKbps, peers } = this.sample();
    const beacon = {
      ...this.base,
      server,
      startupMs: this.startupMs === null ? null : Math.round(this.startupMs),
      stallsMs: this.stallsMs.splice(0, 100).map(Math.round),
      bitrateSwitches: this.switches,
      throughputKbps: finite(throughputKbps),
      bitrateKbps: finite(bitrateKbps),
      ...this.peerDeltas(peers),
    };
    this.startupMs = null;
    this.switches = 0;
    const body = JSON.stringify(beacon);
    if (leaving && navigator.sendBeacon) {
      navigator.sendBeacon('/api/v1/qoe', new Blob([body], { type: 'application/json' }));
    } else {
      fetch('/api/v1/qoe', { method: 'POST', headers: { 'content-type': 'application/json' }, body, keepalive: true }).catch(() => {});
    }
  }
}

const finite = (value) => (Number.isFinite(value) && value >= 0 ? Math.round(value) : null);
