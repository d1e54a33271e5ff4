namespace OpenCdn.Platform.Queue;

/// <summary>The queue cannot do what was asked for a reason an operator must fix (missing queue, bad credentials, stale receipt).</summary>
public sealed class QueueException(string message, Exception? inner = null) : IOException(message, inner);
