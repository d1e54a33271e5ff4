using Microsoft.AspNetCore.Http.Metadata;

namespace OpenCdn.ControlPlane.Qoe;

/// <summary>Endpoint metadata that caps the request body; Kestrel answers 413 above it.</summary>
internal sealed class RequestSizeLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = bytes;
}
