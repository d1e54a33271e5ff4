using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenCdn.Ingest.Ladder.PerTitle;

/// <summary>
/// Reads what the x264 encoders of one analysis pass (<see cref="AnalysisArguments.Encode"/>) print on ffmpeg's stderr:
/// each opens with lines tagged <c>[libx264 @ 0x…]</c> just before ffmpeg announces its output (<c>Output #i, …</c>),
/// and closes with <c>SSIM Mean Y:…</c> and <c>kb/s:…</c> under the same tag. Output <c>#i</c>'s rate is the
/// encoder's own (the H.264 stream, without a container) and its quality the luma SSIM x264 measured. An output left
/// without its report is an error (the analysis fails and the worker encodes the fixed ladder), never a guess.
/// </summary>
internal sealed partial class X264Report
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _outputOf = [];
    private readonly Dictionary<int, double> _ssim = [];
    private readonly Dictionary<int, double> _kbps = [];
    private string? _opening;

    public void Read(string line)
    {
        lock (_lock)
        {
            if (OutputLine().Match(line) is { Success: true } output)
            {
                if (_opening is { } encoder)
                {
                    _outputOf.TryAdd(encoder, int.Parse(output.Groups[1].Value, CultureInfo.InvariantCulture));
                    _opening = null;
                }
                return;
            }
            if (EncoderLine().Match(line) is not { Success: true } match)
            {
                return;
            }
            var (address, text) = (match.Groups[1].Value, match.Groups[2].Value);
            if (!_outputOf.TryGetValue(address, out var index))
            {
                _opening = address;
            }
            else if (SsimText().Match(text) is { Success: true } ssim)
            {
                _ssim[index] = double.Parse(ssim.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else if (RateText().Match(text) is { Success: true } rate)
            {
                _kbps[index] = double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Output #i's rate (kbit/s) and SSIM, for i below <paramref name="outputs"/>; throws when one is missing.</summary>
    public (double Kbps, double Ssim) Result(int output, int outputs)
    {
        lock (_lock)
        {
            if (_outputOf.Count != outputs || !_ssim.TryGetValue(output, out var ssim) || !_kbps.TryGetValue(output, out var kbps))
            {
                throw new InvalidOperationException(
                    $"x264 reported no SSIM and rate for analysis encode #{output} ({_outputOf.Count} of {outputs} encoders seen).");
            }
            return (kbps, ssim);
        }
    }

    [GeneratedRegex(@"^Output #(\d+), ", RegexOptions.CultureInvariant)]
    private static partial Regex OutputLine();

    [GeneratedRegex(@"^\[libx264 @ (0x[0-9a-fA-F]+)\] (.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex EncoderLine();

    [GeneratedRegex(@"^SSIM Mean Y:([0-9.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex SsimText();

    [GeneratedRegex(@"^kb/s:([0-9.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex RateText();
}
