using OpenCdn.Catalog.Titles;

namespace OpenCdn.Ingest.Jobs;

/// <summary>Turns ffmpeg's "time encoded so far" into a percentage in the catalog, at most once per interval.</summary>
internal sealed class ProgressReporter(TitleStore titles, string titleId, TimeSpan duration, TimeProvider time, TimeSpan interval)
{
    private int _percent;
    private int _reported = -1;
    private long _lastReport;
    private Task _pending = Task.CompletedTask;

    /// <summary>Called from ffmpeg's output thread; never blocks it.</summary>
    public void Report(TimeSpan encoded)
    {
        var percent = (int)Math.Clamp(encoded / duration * 100, 0, 99);
        Volatile.Write(ref _percent, percent);
        var now = time.GetTimestamp();
        if (percent != _reported && _pending.IsCompleted && time.GetElapsedTime(_lastReport, now) >= interval)
        {
            _lastReport = now;
            _reported = percent;
            _pending = titles.ReportProgressAsync(titleId, percent, CancellationToken.None);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _pending;
        await titles.ReportProgressAsync(titleId, Volatile.Read(ref _percent), cancellationToken);
    }
}
