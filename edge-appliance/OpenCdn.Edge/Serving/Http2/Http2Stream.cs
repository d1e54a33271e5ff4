namespace OpenCdn.Edge.Serving.Http2;

/// <summary>
/// One request of an HTTP/2 connection while its response is being sent: a file the direct path answers itself
/// (<see cref="Content"/>) or Kestrel's answer (<see cref="Fallback"/>), and the stream's send window.
/// </summary>
internal sealed class Http2Stream(int id, long window)
{
    public int Id { get; } = id;

    /// <summary>Bytes of DATA the client lets the edge send on this stream now.</summary>
    public long Window { get; set; } = window;

    /// <summary>The client sent END_STREAM: when the response ends, so does the stream (else it is reset with NO_ERROR).</summary>
    public bool ClientEnded { get; set; }

    public bool HeadSent { get; set; }

    /// <summary>The direct path's answer: the file, the range, and what is left of it.</summary>
    public ContentResponse Content { get; init; }

    public bool IsHead { get; init; }

    public string? Origin { get; init; }

    public long Offset { get; set; }

    public long Left { get; set; }

    /// <summary>Kestrel's answer, for any other request.</summary>
    public Http2Fallback? Fallback { get; init; }

    /// <summary>Kestrel's response body bytes framed so far, against its Content-Length (-1 without one).</summary>
    public long FallbackSent { get; set; }

    public long FallbackLength { get; set; } = -1;

    /// <summary>Kestrel's response left bytes unread for want of window: worth looking at again when the window opens.</summary>
    public bool FallbackWaiting { get; set; }

    /// <summary>Ends the stream's work: the file's handle released, or Kestrel stopped.</summary>
    public void Release()
    {
        if (Fallback is null)
        {
            Content.Release();
        }
        else
        {
            Fallback.Dispose();
        }
    }
}
