// The segments a player may exchange with peers: their byte ranges and SHA-256 as the control plane gave them (never a
// peer), and the verified bytes this player holds, which it can pass on.

const maxHeldBytes = 256 * 1024 * 1024;

/** "video_480p.mp4|1234-5678": a segment by file name and inclusive byte range. */
export function segmentKey(url, range) {
  const file = new URL(url, location.href).pathname.split('/').pop();
  return `${file}|${range}`;
}

export class SegmentStore {
  /** `segments`: { fileName: [{ range: { first, last }, sha256 }] } from GET /api/v1/peers/{sessionId}. */
  constructor(segments) {
    this.expected = new Map();
    for (const [file, list] of Object.entries(segments ?? {})) {
      for (const s of list) this.expected.set(`${file}|${s.range.first}-${s.range.last}`, s.sha256);
    }
    this.held = new Map();
    this.heldBytes = 0;
  }

  /** The expected SHA-256 of a key, or undefined when the package does not list it (such bytes never go to peers). */
  expectedHash(key) {
    return this.expected.get(key);
  }

  has(key) {
    return this.held.has(key);
  }

  get(key) {
    return this.held.get(key);
  }

  /** Keeps verified bytes; the oldest go first beyond the cap. */
  put(key, data) {
    if (this.held.has(key)) return false;
    this.held.set(key, data);
    this.heldBytes += data.byteLength;
    for (const [oldKey, old] of this.held) {
      if (this.heldBytes <= maxHeldBytes) break;
      this.held.delete(oldKey);
      this.heldBytes -= old.byteLength;
    }
    return true;
  }

  keys() {
    return [...this.held.keys()];
  }
}

/** Lower-case hex SHA-256 of an ArrayBuffer. */
export async function sha256Hex(data) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
