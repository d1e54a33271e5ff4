namespace OpenCdn.Ingest.Probe;

/// <summary>The master cannot become a package, whatever a retry does; <see cref="Exception.Message"/> tells the uploader why.</summary>
internal sealed class MasterRejectedException(string reason, Exception? inner = null) : Exception(reason, inner);
