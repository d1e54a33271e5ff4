// Shaka Player's networking scheme plugin for http and https: a media segment request whose Range header names exactly
// a segment the package lists (with its hash) is asked of peers first, under the agent's deadline, and answered with
// exactly those verified bytes. Everything else (the MPD, init and index ranges, open or unlisted ranges, other request
// types) and everything peers cannot supply in time or correctly goes to Shaka's own HTTP plugin unchanged; bytes
// from servers that match the package's hash are kept for peers.

const rangeHeader = /^bytes=(\d+)-(\d+)$/;

/** Call before player.load(). Registers for every player of the page; without an agent, Shaka's own plugin stays. */
export function installPeerScheme(agent) {
  const net = shaka.net;
  const http = net.HttpFetchPlugin.isSupported() ? net.HttpFetchPlugin.parse : net.HttpXHRPlugin.parse;
  const plugin = (uri, request, requestType, progressUpdated, ...rest) => {
    const entry = requestType === net.NetworkingEngine.RequestType.SEGMENT ? lookup(agent, uri, request) : null;
    if (!entry) return http(uri, request, requestType, progressUpdated, ...rest);
    let server = null;
    let aborted = false;
    const promise = agent.fromPeers(entry).then((data) => {
      if (aborted) throw abortedError(uri, requestType);
      // No progress event: Shaka then measures the whole answer (its timeMs) for its bandwidth estimate.
      if (data) return { uri, originalUri: uri, data, status: 206, headers: {}, fromCache: false, originalRequest: request };
      server = http(uri, request, requestType, progressUpdated, ...rest);
      return server.promise.then((response) => {
        const bytes = arrayBufferOf(response.data);
        if (bytes.byteLength === entry.size) agent.fromServer(entry, bytes);
        return response;
      });
    });
    return new shaka.util.AbortableOperation(promise, () => {
      aborted = true;
      return server ? server.abort() : Promise.resolve();
    });
  };
  for (const scheme of ['http', 'https']) {
    net.NetworkingEngine.registerScheme(scheme, plugin, net.NetworkingEngine.PluginPriority.APPLICATION, true);
  }
}

/** The agent's entry when the request's Range is exactly one listed segment (the key's range is inclusive, as HTTP's). */
function lookup(agent, uri, request) {
  const match = rangeHeader.exec(request.headers?.Range ?? request.headers?.range ?? '');
  return match ? agent.lookup(uri, `${match[1]}-${match[2]}`) : null;
}

function arrayBufferOf(data) {
  return data instanceof ArrayBuffer ? data : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
}

function abortedError(uri, requestType) {
  const e = shaka.util.Error;
  return new e(e.Severity.RECOVERABLE, e.Category.NETWORK, e.Code.OPERATION_ABORTED, uri, requestType);
}
