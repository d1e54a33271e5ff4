// Shaka Player's networking scheme plugin for http(s), with peers first: a segment the package lists (with its hash) is
// asked of peers under a deadline from the buffer; anything else, and anything peers cannot supply in time or
// correctly, goes through Shaka's own fetch plugin to the session's servers. Bytes from servers are checked and kept.

/** Call before player.load(). */
export function registerPeerScheme(agent) {
  const engine = shaka.net.NetworkingEngine;
  const server = shaka.net.HttpFetchPlugin.parse;
  const plugin = (uri, request, requestType, progressUpdated, headersReceived, config) => {
    const range = (request.headers?.Range ?? request.headers?.range)?.replace(/^bytes=/, '');
    const entry = requestType === engine.RequestType.SEGMENT ? agent.lookup(uri, range) : null;
    if (!entry) return server(uri, request, requestType, progressUpdated, headersReceived, config);
    let inner = null;
    let aborted = false;
    const promise = agent.fromPeers(entry).then((data) => {
      if (aborted) {
        throw new shaka.util.Error(shaka.util.Error.Severity.RECOVERABLE, shaka.util.Error.Category.PLAYER,
          shaka.util.Error.Code.OPERATION_ABORTED);
      }
      if (data) return { uri, originalUri: uri, originalRequest: request, data, headers: {}, status: 206, fromCache: false };
      inner = server(uri, request, requestType, progressUpdated, headersReceived, config);
      return inner.promise.then((response) => {
        agent.fromServer(entry, response.data);
        return response;
      });
    });
    return new shaka.util.AbortableOperation(promise, () => {
      aborted = true;
      return inner ? inner.abort() : Promise.resolve();
    });
  };
  engine.registerScheme('http', plugin, engine.PluginPriority.APPLICATION);
  engine.registerScheme('https', plugin, engine.PluginPriority.APPLICATION);
}
