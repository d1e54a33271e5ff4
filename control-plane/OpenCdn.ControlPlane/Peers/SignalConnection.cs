using System.Net.WebSockets;
using System.Text.Json;
using OpenCdn.Contracts.Peers;

namespace OpenCdn.ControlPlane.Peers;

/// <summary>
/// One viewer's signalling socket, from welcome to goodbye: a writer drains its outbox, the reader relays what it sends.
/// Malformed, oversized or too frequent messages close the socket with a policy-violation status; a newer connection of
/// the same session closes this one with <see cref="PeerMessage.ReplacedCloseStatus"/>.
/// </summary>
internal sealed partial class SignalConnection(WebSocket socket, PeerMember member, Swarms swarms, TimeProvider time, ILogger logger)
{
    public const int MaxMessageBytes = 32 * 1024;
    public const int MaxMessagesPerWindow = 200;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReplacedCloseWait = TimeSpan.FromSeconds(5);

    public async Task RunAsync(IReadOnlyList<string> introduced, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        member.Outbox.Writer.TryWrite(new PeerMessage(PeerMessage.Welcome, member.Id, introduced));
        var writer = WriteAsync(stop);
        try
        {
            var problem = await ReadAsync(stop.Token);
            if (problem is not null && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                Log.Closed(logger, member.Id, problem);
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, problem, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The viewer went away: nothing to tell it.
        }
        finally
        {
            swarms.Leave(member);
            await stop.CancelAsync();
            await writer;
        }
    }

    /// <summary>Reads until the viewer closes; returns why the server should close instead, if it should.</summary>
    private async Task<string?> ReadAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        var windowStart = time.GetUtcNow();
        var inWindow = 0;
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    return $"A message is limited to {MaxMessageBytes} bytes.";
                }
                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                }
                return null;
            }
            if (time.GetUtcNow() - windowStart > Window)
            {
                (windowStart, inWindow) = (time.GetUtcNow(), 0);
            }
            if (++inWindow > MaxMessagesPerWindow)
            {
                return $"At most {MaxMessagesPerWindow} messages per {Window.TotalSeconds} seconds.";
            }
            if (result.MessageType != WebSocketMessageType.Text || Parse(buffer.AsSpan(0, length)) is not { } message)
            {
                return "Not a peer message (JSON text with a type).";
            }
            if (Handle(message) is { } problem)
            {
                return problem;
            }
        }
    }

    private string? Handle(PeerMessage message)
    {
        switch (message.Type)
        {
            case PeerMessage.Signal when SignalValidation.Signal(message, member.Id) is { } relayed:
                // A peer not (or no longer) introduced is not an error of this viewer: the other one may just have left.
                swarms.Relay(member, message.Peer!, relayed);
                return null;
            case PeerMessage.Report when SignalValidation.ReportedPeer(message) is { } peer:
                if (swarms.Separate(member, peer))
                {
                    PeerMetrics.BadSegment();
                    Log.BadPeer(logger, member.Id, peer, message.Reason ?? "unspecified");
                }
                return null;
            default:
                return "Only signal (an SDP or an ICE candidate) and report messages are accepted.";
        }
    }

    private static PeerMessage? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<PeerMessage>(json, PeerJson.Options) is { Type: not null } message ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Sends the outbox until it completes; when a newer connection replaced this one, closes with the reason.</summary>
    private async Task WriteAsync(CancellationTokenSource stop)
    {
        var cancellationToken = stop.Token;
        try
        {
            await foreach (var message in member.Outbox.Reader.ReadAllAsync(cancellationToken))
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(message, PeerJson.Options);
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            if (member.Replaced && socket.State == WebSocketState.Open)
            {
                Log.Replaced(logger, member.Id);
                await socket.CloseOutputAsync((WebSocketCloseStatus)PeerMessage.ReplacedCloseStatus,
                    "A newer signalling connection of this playback session replaced this one.", cancellationToken);
                // The reader ends when the viewer answers the close; one that does not is cut off.
                await Task.Delay(ReplacedCloseWait, cancellationToken);
                await stop.CancelAsync();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The socket closed under the writer; the reader's end does the rest.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 801, Level = LogLevel.Warning,
            Message = "Viewer {Reporter} dropped peer {Peer}: {Reason}")]
        public static partial void BadPeer(ILogger logger, string reporter, string peer, string reason);

        [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "Closed the signalling socket of viewer {Peer}: {Problem}")]
        public static partial void Closed(ILogger logger, string peer, string problem);

        [LoggerMessage(EventId = 803, Level = LogLevel.Information,
            Message = "Closed the signalling socket of viewer {Peer}: a newer connection of its session replaced it")]
        public static partial void Replaced(ILogger logger, string peer);
    }
}
