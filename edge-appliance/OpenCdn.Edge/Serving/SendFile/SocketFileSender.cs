using System.Net.Sockets;

namespace OpenCdn.Edge.Serving.SendFile;

/// <summary>
/// Sends a byte range of a file on a socket with the kernel's <c>sendfile(2)</c>: on Linux .NET's
/// <see cref="Socket.SendPacketsAsync"/> does exactly that for a <see cref="FileStream"/> element, asynchronously (it waits
/// for the socket to become writable between partial sends). One instance per connection; one send at a time.
/// </summary>
internal sealed class SocketFileSender : IDisposable
{
    private const int MaxPerCall = 1 << 30; // SendPacketsElement takes an int count
    private readonly Socket _socket;
    private readonly Args _args = new();

    public SocketFileSender(Socket socket) => _socket = socket;

    /// <summary>
    /// Completes when the kernel took the whole range; throws <see cref="SocketException"/> when the connection failed,
    /// and <see cref="IOException"/> when the file ended first (sendfile stops at end of file and .NET calls that success).
    /// </summary>
    public async Task SendAsync(FileStream file, long offset, long count)
    {
        while (count > 0)
        {
            var chunk = (int)Math.Min(count, MaxPerCall);
            _args.SendPacketsElements = [new SendPacketsElement(file, offset, chunk)];
            _args.Done = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
            var error = _socket.SendPacketsAsync(_args) ? await _args.Done.Task : _args.SocketError;
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }
            if (_args.BytesTransferred != chunk)
            {
                throw new IOException("The file is shorter than the range the response promised.");
            }
            offset += chunk;
            count -= chunk;
        }
    }

    public void Dispose() => _args.Dispose();

    private sealed class Args : SocketAsyncEventArgs
    {
        public TaskCompletionSource<SocketError>? Done { get; set; }

        protected override void OnCompleted(SocketAsyncEventArgs e) => Done?.TrySetResult(e.SocketError);
    }
}
