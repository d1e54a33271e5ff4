using OpenCdn.Edge.Metrics;

namespace OpenCdn.Edge.Serving;

/// <summary>
/// Reports a content response that did not end <see cref="SendOutcome.Sent"/>, on either serving path: every such outcome
/// is counted (<c>opencdn_edge_responses_cut_short_total{outcome}</c>), and the file's faults are also logged as warnings
/// with the file they concern. Nothing here runs for a response that went out whole.
/// </summary>
internal sealed partial class ServingFaults(EdgeMetrics metrics, ILogger<ServingFaults> logger)
{
    public void CutShort(SendOutcome outcome, ContentResponse response, string path)
    {
        if (outcome.IsFileFault())
        {
            var key = response.File.Stored.Key;
            Log.FileFault(
                logger, outcome, key.TitleId, key.Version, key.File, response.File.Path, response.From, response.Count, response.File.Length, path);
        }
        metrics.CutShort(outcome); // after the log: once counted, it has been told
    }

    private static partial class Log
    {
        [LoggerMessage(500, LogLevel.Warning, "{Outcome} serving {TitleId} v{Version} {File} ({FilePath}): bytes {From}+{Count} "
            + "of a catalogued {Size}, on the {ServingPath} path; the response was cut short")]
        public static partial void FileFault(
            ILogger logger, SendOutcome outcome, string titleId, int version, string file, string filePath, long from, long count, long size,
            string servingPath);
    }
}
