using System.Net;
using System.Net.Sockets;

namespace OpenCdn.Testing;

/// <summary>
/// A TCP port on 127.0.0.1 that nothing listens on right now, for the one case port 0 cannot serve: a peer whose address
/// must be known before it starts (an external process such as PostgreSQL or an installed appliance, or a server whose
/// own configuration names its public URL). Whatever can listen on port 0 and report the port it got does that instead
/// (Kestrel: <c>http://127.0.0.1:0</c>, then <c>IServerAddressesFeature</c>).
/// <para>
/// Between this check and the peer's bind another socket could take the port. The race is narrowed: ports come from
/// below the kernel's ephemeral range (<c>ip_local_port_range</c>), which outgoing connections and other port-0 listeners
/// draw from, at random, each handed out once per test process, and only after a bind on them succeeded.
/// </para>
/// </summary>
public static class FreePort
{
    private const int First = 20_000;
    private const int Last = 32_767; // Linux's ephemeral range starts at 32768 by default
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            lock (HandedOut)
            {
                if (!HandedOut.Add(port))
                {
                    continue;
                }
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // in use: try another
            }
        }
        throw new InvalidOperationException($"No free port found between {First} and {Last}.");
    }
}
