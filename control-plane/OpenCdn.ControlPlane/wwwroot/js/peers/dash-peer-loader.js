// dash.js's request loader, extended: a media segment the package lists (with its hash) is asked of peers first, under
// a deadline from the buffer; anything else, and anything peers cannot supply in time or correctly, goes to the
// session's servers as before. Bytes from servers are checked and kept for peers.

/** Call before player.initialize(). */
export function installPeerLoader(player, agent) {
  player.extend('XHRLoader', function peerAwareXhrLoader() {
    const serverLoad = this.parent.load; // captured before dash.js swaps in the method below
    return {
      load(request, response) {
        const segment = request.customData?.request;
        const entry = segment?.type === 'MediaSegment' ? agent.lookup(request.url, segment.range) : null;
        if (!entry) return serverLoad(request, response);
        let cancelled = false;
        request.customData.abort = () => {
          cancelled = true;
        };
        agent.fromPeers(entry).then((data) => {
          if (cancelled) return;
          if (data) return deliver(request, response, data);
          const end = request.customData.onloadend;
          request.customData.onloadend = () => {
            if (response.status >= 200 && response.status < 300 && response.data) agent.fromServer(entry, response.data);
            end?.();
          };
          serverLoad(request, response);
        });
        return true;
      },
    };
  }, true);
}

function deliver(request, response, data) {
  response.url = request.url;
  response.status = 206;
  response.statusText = 'Partial Content (peer)';
  response.headers = {};
  response.data = data;
  request.customData.onprogress?.({ loaded: data.byteLength, total: data.byteLength, lengthComputable: true });
  request.customData.onloadend?.();
}
