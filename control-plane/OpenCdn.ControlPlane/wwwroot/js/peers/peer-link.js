// One RTCPeerConnection with one ordered data channel to another viewer. On the channel: JSON text for control
// ({t:'have', keys}, {t:'get', id, key}, {t:'data', id, size}, {t:'miss', id}) and, after a 'data' header, exactly
// `size` bytes of binary chunks. Uploads go one at a time, so chunks of two answers never interleave.

const chunkBytes = 64 * 1024;
const maxRequestBytes = 32 * 1024 * 1024;

export class PeerLink {
  constructor(agent, peerId, initiator) {
    this.agent = agent;
    this.peerId = peerId;
    this.remoteHas = new Set();
    this.pending = new Map(); // id → { resolve, timer, size, chunks, received, settled }
    this.receiving = null;
    this.uploads = Promise.resolve();
    this.inFlight = 0;
    this.nextId = 1;
    this.closed = false;
    this.pendingCandidates = [];
    this.pc = new RTCPeerConnection({ iceServers: agent.config.iceServers.map((urls) => ({ urls })) });
    this.pc.onicecandidate = (e) => e.candidate && agent.signal(peerId, { candidate: e.candidate.toJSON() });
    this.pc.onconnectionstatechange = () => {
      if (['failed', 'closed'].includes(this.pc.connectionState)) this.close('connection ' + this.pc.connectionState);
    };
    if (initiator) {
      this.attach(this.pc.createDataChannel('segments', { ordered: true }));
      this.offer();
    } else {
      this.pc.ondatachannel = (e) => this.attach(e.channel);
    }
  }

  get open() {
    return this.channel?.readyState === 'open';
  }

  async offer() {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.agent.signal(this.peerId, { sdp: { type: this.pc.localDescription.type, sdp: this.pc.localDescription.sdp } });
  }

  /** An SDP or ICE candidate relayed by the signalling server. */
  async handleSignal({ sdp, candidate }) {
    try {
      if (sdp) {
        await this.pc.setRemoteDescription(sdp);
        for (const c of this.pendingCandidates.splice(0)) await this.pc.addIceCandidate(c);
        if (sdp.type === 'offer') {
          await this.pc.setLocalDescription(await this.pc.createAnswer());
          this.agent.signal(this.peerId, { sdp: { type: this.pc.localDescription.type, sdp: this.pc.localDescription.sdp } });
        }
      } else if (candidate) {
        if (this.pc.remoteDescription) await this.pc.addIceCandidate(candidate);
        else this.pendingCandidates.push(candidate);
      }
    } catch (e) {
      this.close(`signalling failed: ${e.message}`);
    }
  }

  attach(channel) {
    this.channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.onopen = () => {
      this.send({ t: 'have', keys: this.agent.store.keys() });
      this.agent.linkOpened(this);
    };
    channel.onclose = () => this.close('channel closed');
    channel.onmessage = (e) => (typeof e.data === 'string' ? this.onControl(e.data) : this.onChunk(e.data));
  }

  send(message) {
    if (this.open) this.channel.send(JSON.stringify(message));
  }

  onControl(text) {
    let m;
    try {
      m = JSON.parse(text);
    } catch {
      return this.agent.drop(this, 'malformed message');
    }
    if (m.t === 'have' && Array.isArray(m.keys)) {
      for (const key of m.keys.slice(0, 10_000)) if (typeof key === 'string') this.remoteHas.add(key);
      this.agent.linkAnnounced(this);
    } else if (m.t === 'get' && Number.isInteger(m.id) && typeof m.key === 'string') {
      // A send that throws (the channel closing, its queue full) ends the link: the asking viewer turns to the edge at
      // once, and the chain goes on rejecting nothing.
      this.uploads = this.uploads.then(() => this.upload(m.id, m.key)).catch((e) => this.close(`upload failed: ${e.message}`));
    } else if (m.t === 'data' && this.pending.has(m.id) && Number.isInteger(m.size) && m.size > 0 && m.size <= maxRequestBytes) {
      const p = this.pending.get(m.id);
      if (p.size !== m.size) return this.agent.drop(this, 'wrong size');
      this.receiving = p;
    } else if (m.t === 'miss' && this.pending.has(m.id)) {
      this.remoteHas.delete(this.pending.get(m.id).key);
      this.settle(m.id, null);
    }
  }

  onChunk(data) {
    const p = this.receiving;
    if (!p) return this.agent.drop(this, 'unexpected bytes');
    p.chunks.push(new Uint8Array(data));
    p.received += data.byteLength;
    if (p.received > p.size) return this.agent.drop(this, 'too many bytes');
    if (p.received === p.size) {
      this.receiving = null;
      const whole = new Uint8Array(p.size);
      let at = 0;
      for (const c of p.chunks) {
        whole.set(c, at);
        at += c.byteLength;
      }
      this.settle(p.id, whole.buffer);
    }
  }

  /** Asks the peer for `key` (`size` bytes); resolves with an ArrayBuffer, or null on a miss, a timeout or a closed link. */
  request(key, size, timeoutMs) {
    const id = this.nextId++;
    this.inFlight++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, null, true), timeoutMs);
      this.pending.set(id, { id, key, size, resolve, timer, chunks: [], received: 0 });
      this.send({ t: 'get', id, key });
    });
  }

  settle(id, data, late = false) {
    const p = this.pending.get(id);
    if (!p) return;
    if (p.settled) {
      this.pending.delete(id); // the late answer has drained (or was a miss): forget it
      return;
    }
    p.settled = true;
    clearTimeout(p.timer);
    this.inFlight--;
    // A late request stays known until its bytes have drained from the ordered channel.
    if (!late) this.pending.delete(id);
    p.resolve(data);
  }

  async upload(id, key) {
    const data = this.agent.store.get(key);
    if (!data || !this.open || !this.agent.mayUpload(data.byteLength)) return this.send({ t: 'miss', id });
    this.send({ t: 'data', id, size: data.byteLength });
    for (let at = 0; at < data.byteLength; at += chunkBytes) {
      if (!this.open) return;
      if (this.channel.bufferedAmount > 4 * chunkBytes) await this.drained();
      this.channel.send(data.slice(at, at + chunkBytes));
    }
    this.agent.uploaded(data.byteLength);
  }

  drained() {
    return new Promise((resolve) => {
      this.channel.bufferedAmountLowThreshold = chunkBytes;
      this.channel.onbufferedamountlow = () => resolve();
      setTimeout(resolve, 1000);
    });
  }

  close(reason) {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.pending.keys()]) this.settle(id, null);
    this.pending.clear();
    try {
      this.channel?.close();
      this.pc.close();
    } catch {
      // already closed
    }
    this.agent.linkClosed(this, reason);
  }
}
