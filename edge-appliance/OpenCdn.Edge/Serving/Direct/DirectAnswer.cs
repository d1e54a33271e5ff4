using Microsoft.AspNetCore.Connections;

namespace OpenCdn.Edge.Serving.Direct;

/// <summary>
/// What both direct paths, plaintext (<see cref="DirectConnections"/>) and TLS (<see cref="Tls.TlsRequests"/>), do around
/// sending one response: the file's handle is released whatever happens, and a response that ended short of what its head
/// promised ends the connection, so that the client cannot take what follows (or the next response) for the rest of it,
/// and is counted (<see cref="ServingFaults"/>).
/// </summary>
internal static class DirectAnswer
{
    /// <summary>Awaits <paramref name="sending"/>: true when the response went out whole, false when the connection was ended.</summary>
    public static async ValueTask<bool> SentAsync(
        ValueTask<SendOutcome> sending, ContentResponse response, ConnectionContext connection, ServingFaults faults, string path)
    {
        SendOutcome outcome;
        try
        {
            outcome = await sending;
        }
        finally
        {
            response.Release();
        }
        if (outcome == SendOutcome.Sent)
        {
            return true;
        }
        connection.Abort();
        faults.CutShort(outcome, response, path);
        return false;
    }
}
