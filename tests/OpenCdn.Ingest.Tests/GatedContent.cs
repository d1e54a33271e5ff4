using System.Net;

namespace OpenCdn.Ingest.Tests;

/// <summary>A request body that sends (and flushes) its first <c>before</c> bytes, then waits for the gate before sending the rest.</summary>
internal sealed class GatedContent(byte[] data, int before, Task gate) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(data.AsMemory(0, before));
        await stream.FlushAsync();
        await gate;
        await stream.WriteAsync(data.AsMemory(before));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = data.Length;
        return true;
    }
}
