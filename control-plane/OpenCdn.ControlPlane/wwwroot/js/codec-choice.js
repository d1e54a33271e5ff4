// `?codec=` on the player pages limits the video codec: `avc1` (or `h264`) plays the H.264 ladder only, `av01` (or
// `av1`) the AV1 ladder only. Without it the player chooses: AV1 where the browser decodes it, H.264 elsewhere.

const aliases = { avc1: 'avc1', h264: 'avc1', av01: 'av01', av1: 'av01' };
const videoFamilies = new Set(['avc1', 'avc3', 'av01', 'hvc1', 'hev1', 'vp09']);

/** The codec family the page's query asks for (`avc1`, `av01`), or null; an unknown value is an error the page shows. */
export function codecFromQuery(search = location.search) {
  const value = new URLSearchParams(search).get('codec');
  if (!value) return null;
  const family = aliases[value.toLowerCase()];
  if (!family) throw new Error(`Unknown codec '${value}': use avc1 (H.264) or av01 (AV1).`);
  return family;
}

/** The sample entry of an RFC 6381 codecs string: `av01.0.04M.08` → `av01`. */
export const codecFamily = (codecs) => String(codecs ?? '').split('.')[0];

/** Whether a representation stays when the page limits the video codec to `family`: audio and text always do. */
export const keepsCodec = (codecs, family) => !videoFamilies.has(codecFamily(codecs)) || codecFamily(codecs) === family;
