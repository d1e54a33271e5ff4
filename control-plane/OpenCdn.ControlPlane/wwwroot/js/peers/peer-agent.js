// Peer-assisted delivery for one playback session: joins the control plane's signalling socket, keeps data channels
// to the viewers it is introduced to (same title, version and network), fetches segments from them under a deadline
// set by the buffer, checks every byte against the control plane's hashes, and passes on only verified bytes, within
// the upload cap and only while its own buffer is healthy.
import { PeerLink } from './peer-link.js';
import { SegmentStore, segmentKey, sha256Hex } from './segment-store.js';

const optOutKey = 'opencdn.peers';
const minTimeoutMs = 500;
const replacedCloseStatus = 4001;

/** The viewer's choice, kept in this browser: peer-assisted delivery is used unless they turned it off. */
export const peersOptedOut = () => localStorage.getItem(optOutKey) === 'off';
export const setPeersOptOut = (off) => (off ? localStorage.setItem(optOutKey, 'off') : localStorage.removeItem(optOutKey));

export class PeerAgent {
  /** A started agent for the session, or null when the deployment has it off, the viewer opted out, or WebRTC is missing. */
  static async start(sessionId, log) {
    if (peersOptedOut() || !window.RTCPeerConnection || !window.crypto?.subtle) return null;
    const response = await fetch(`/api/v1/peers/${encodeURIComponent(sessionId)}`);
    if (!response.ok) return null;
    const agent = new PeerAgent(await response.json(), log);
    agent.connect();
    return agent;
  }

  constructor(config, log) {
    this.config = config;
    this.log = log;
    this.store = new SegmentStore(config.segments);
    this.links = new Map();
    this.health = () => ({ aheadSeconds: 0, toEnd: false });
    this.tokens = config.uploadBytesPerSecond;
    this.refilledAt = performance.now();
    this.stats = { peerBytes: 0, serverBytes: 0, uploadedBytes: 0, peerFailures: 0, badSegments: 0 };
    this.delivered = []; // { key, sha256, source } for each media segment handed to the player
    this.welcomed = new Promise((resolve) => (this.onWelcome = resolve));
    this.firstAnnounce = new Promise((resolve) => (this.onFirstAnnounce = resolve));
  }

  connect() {
    this.socket = new WebSocket(this.config.signalUrl);
    this.socket.onmessage = (e) => this.onSignal(JSON.parse(e.data));
    this.socket.onclose = (e) => {
      // 4001: a newer signalling socket of this session (another tab or a reconnect) took this one's place.
      if (e.code === replacedCloseStatus) this.log?.add('peersReplaced');
      this.onWelcome([]);
    };
  }

  /**
   * Waits until a peer has said which segments it holds (an open channel alone is not enough: the first requests would
   * find no peer to ask), or the server introduced nobody, or `ms` passed: whichever comes first.
   */
  async ready(ms) {
    const timeout = new Promise((resolve) => setTimeout(resolve, ms));
    const peers = await Promise.race([this.welcomed, timeout.then(() => [])]);
    if (peers.length) await Promise.race([this.firstAnnounce, timeout]);
  }

  onSignal(m) {
    if (m.type === 'welcome') {
      this.id = m.peer;
      for (const peer of m.peers ?? []) this.links.set(peer, new PeerLink(this, peer, true));
      this.log?.add('peersIntroduced', { count: m.peers?.length ?? 0 });
      this.onWelcome(m.peers ?? []);
    } else if (m.type === 'signal' && m.peer) {
      if (!this.links.has(m.peer)) this.links.set(m.peer, new PeerLink(this, m.peer, false));
      this.links.get(m.peer).handleSignal(m);
    } else if (m.type === 'left') {
      this.links.get(m.peer)?.close('left');
    }
  }

  signal(peer, body) {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'signal', peer, ...body }));
  }

  linkOpened(link) {
    this.log?.add('peerConnected', { peer: link.peerId });
  }

  /** A peer's first list of the segments it holds arrived. */
  linkAnnounced() {
    this.onFirstAnnounce();
  }

  linkClosed(link, reason) {
    if (this.links.get(link.peerId) === link) this.links.delete(link.peerId);
    this.log?.add('peerClosed', { peer: link.peerId, reason });
  }

  /** Drops a peer that misbehaved and tells the control plane, which separates the two for good. */
  drop(link, reason) {
    if (link.closed) return;
    this.log?.add('peerDropped', { peer: link.peerId, reason });
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'report', peer: link.peerId, reason }));
    link.close(reason);
  }

  /** The segment's key and expected hash when a peer could supply it (the package lists it); else null. */
  lookup(url, range) {
    if (!range || this.closed) return null;
    const key = segmentKey(url, range);
    const sha256 = this.store.expectedHash(key);
    if (!sha256) return null;
    const [first, last] = range.split('-').map(Number);
    return { key, sha256, size: last - first + 1 };
  }

  /**
   * Tries the peers that announced the segment, one at a time, each within what the buffer allows. Resolves with
   * verified bytes, or null (then the player goes to its server at once).
   */
  async fromPeers(entry) {
    const own = this.store.get(entry.key);
    if (own) return own; // fetched and verified before (a seek back)
    const candidates = [...this.links.values()].filter((l) => l.open && l.remoteHas.has(entry.key));
    candidates.sort((a, b) => a.inFlight - b.inFlight);
    for (const link of candidates.slice(0, 2)) {
      const data = await link.request(entry.key, entry.size, this.timeoutMs());
      if (!data) {
        this.stats.peerFailures++;
        continue;
      }
      if ((await sha256Hex(data)) !== entry.sha256) {
        this.stats.badSegments++;
        this.drop(link, 'bad-hash');
        continue;
      }
      this.stats.peerBytes += data.byteLength;
      this.keep(entry, data, 'peer');
      return data;
    }
    return null;
  }

  /** Bytes a server sent: counted, and kept for peers once they match the package's hash. */
  async fromServer(entry, data) {
    this.stats.serverBytes += data.byteLength;
    const sha256 = await sha256Hex(data);
    if (sha256 === entry.sha256) this.keep(entry, data, 'server');
    else this.log?.add('error', { source: 'peers', message: `server bytes of ${entry.key} do not match the package hash` });
    this.delivered.push({ key: entry.key, sha256, source: 'server' });
  }

  keep(entry, data, source) {
    if (source === 'peer') this.delivered.push({ key: entry.key, sha256: entry.sha256, source });
    if (this.store.put(entry.key, data)) {
      for (const link of this.links.values()) link.send({ t: 'have', keys: [entry.key] });
    }
  }

  /** A peer is asked only while the buffer can wait for it: a third of what is buffered, within [0.5 s, PeerTimeout]. */
  timeoutMs() {
    const ahead = this.health().aheadSeconds * 1000;
    return Math.max(minTimeoutMs, Math.min(this.config.peerTimeoutSeconds * 1000, ahead / 3));
  }

  /** Uploads only while the own buffer is healthy, and within the upload cap (a one-second token bucket). */
  mayUpload(bytes) {
    const { aheadSeconds, toEnd } = this.health();
    if (aheadSeconds < this.config.minUploadBufferSeconds && !toEnd) return false;
    const now = performance.now();
    const rate = this.config.uploadBytesPerSecond;
    this.tokens = Math.min(rate, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens < 0) return false;
    this.tokens -= bytes;
    return true;
  }

  uploaded(bytes) {
    this.stats.uploadedBytes += bytes;
  }

  /** Leaves the swarm for good: links and socket closed; every later segment goes to the servers. */
  close() {
    this.closed = true;
    for (const link of [...this.links.values()]) link.close('stopped');
    this.socket?.close();
  }
}
