using OpenCdn.Contracts.Edges;

namespace OpenCdn.Steering.Fill;

/// <summary>
/// Makes the time-limited origin URL of one file of a package: a presigned S3 URL in cloud mode, a signed URL of the
/// control plane's origin endpoint in embedded mode. Supplied by the caller; called when a plan is handed out.
/// </summary>
internal delegate Uri OriginUrlFactory(string titleId, int version, FillFile file);
