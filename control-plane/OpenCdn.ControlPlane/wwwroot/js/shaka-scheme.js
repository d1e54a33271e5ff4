// Shaka Player's networking scheme plugin for http and https, installed by the Shaka page before player.load():
// - a content steering answer reaches Shaka only once the init and index requests in flight have settled (a Shaka 5
//   bug, below), with or without peers;
// - with a peer agent, a media segment request whose Range header names exactly a segment the package lists (with its
//   hash) is asked of peers first, under the agent's deadline, and answered with exactly those verified bytes.
// Everything else (the MPD, init and index ranges, open or unlisted ranges, other request types) and everything peers
// cannot supply in time or correctly goes to Shaka's own HTTP plugin unchanged; bytes from servers that match the
// package's hash are kept for peers.

const rangeHeader = /^bytes=(\d+)-(\d+)$/;

/** Call before player.load(). Registers for every player of the page; `agent` is a started PeerAgent or null. */
export function installScheme(agent) {
  const net = shaka.net;
  const http = net.HttpFetchPlugin.isSupported() ? net.HttpFetchPlugin.parse : net.HttpXHRPlugin.parse;
  const types = net.NetworkingEngine.RequestType;
  const toServers = new Set(); // segment requests (init and index among them) in flight to servers
  const plugin = (uri, request, requestType, progressUpdated, ...rest) => {
    if (requestType === types.CONTENT_STEERING) return afterIndexes(http(uri, request, requestType, progressUpdated, ...rest), toServers);
    const entry = agent && requestType === types.SEGMENT ? lookup(agent, uri, request) : null;
    if (!entry) {
      const operation = http(uri, request, requestType, progressUpdated, ...rest);
      if (requestType === types.SEGMENT) {
        const settled = operation.promise.then(() => {}, () => {});
        toServers.add(settled);
        settled.then(() => toServers.delete(settled));
      }
      return operation;
    }
    let server = null;
    let aborted = false;
    const promise = agent.fromPeers(entry).then((data) => {
      if (aborted) throw abortedError(uri, requestType);
      // Not a sample of the network for Shaka's bandwidth estimate (fromCache, no progress event): how fast a nearby peer
      // answers says nothing of the servers, and counting it would lift this viewer to a quality its peers do not hold.
      if (data) return { uri, originalUri: uri, data, status: 206, headers: {}, fromCache: true, originalRequest: request };
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

/**
 * Shaka (v5) parses a sidx as if it came from a separate index file (its offsets from byte 0) when the stream's base
 * URLs changed while the index was being fetched, and a content steering answer changes them (it orders the BaseURLs by
 * pathway; the first answer turns the default pathway's one URL into one per pathway). Every media range of that stream
 * is then off by the sidx's end: nothing matches the package's segments, and after a switch of quality the player
 * appends bytes from inside a box. So a steering answer reaches Shaka only at the start of a task (a timer's) in which no
 * init, index or media request is in flight here: Shaka reads a stream's base URLs and hands the index request to this
 * plugin within one task (promise callbacks only), and parses the index within the task its response settles in. At such
 * a moment every index Shaka asked for is parsed, and the answer is applied before any other task can ask for another.
 * (Checking once and then yielding a task left a window: a quality switch in that task asked for the new rung's index
 * with the old URLs, and the answer landed before it was parsed.)
 */
function afterIndexes(operation, inFlight) {
  const promise = operation.promise.then(async (response) => {
    do {
      await Promise.all([...inFlight]);
      await new Promise((resolve) => setTimeout(resolve, 0));
    } while (inFlight.size);
    return response;
  });
  return new shaka.util.AbortableOperation(promise, () => operation.abort());
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
