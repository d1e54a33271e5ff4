using OpenCdn.Edge.Serving;

namespace OpenCdn.Edge.Tests.Serving;

/// <summary>
/// The fast path takes only a single satisfiable <c>bytes</c> range (RFC 9110 §14.1.2); everything else it leaves to the
/// full range logic, which the table in <see cref="RangeAndConditionalTests"/> checks over HTTP.
/// </summary>
public sealed class SingleByteRangeTests
{
    public static TheoryData<string, bool, long, long> Cases => new()
    {
        // header (length 1000), taken, from, count
        { "bytes=0-99", true, 0, 100 },
        { "Bytes=0-9", true, 0, 10 },
        { "bytes=900-", true, 900, 100 },
        { "bytes=-100", true, 900, 100 },
        { "bytes=-2000", true, 0, 1000 },
        { "bytes=990-5000", true, 990, 10 },
        { "bytes=999-999", true, 999, 1 },
        { "bytes=1000-1100", false, 0, 0 },
        { "bytes=-0", false, 0, 0 },
        { "bytes=5-2", false, 0, 0 },
        { "bytes=0-1,5-6", false, 0, 0 },
        { "bytes= 0-1", false, 0, 0 },
        { "bytes=abc", false, 0, 0 },
        { "bytes=-", false, 0, 0 },
        { "items=0-1", false, 0, 0 },
        { "bytes=99999999999999999999-", false, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryParse_TakesOnlyOneSatisfiableByteRange(string header, bool taken, long from, long count)
    {
        var parsed = SingleByteRange.TryParse(header, 1000, out var parsedFrom, out var parsedCount);

        Assert.Equal(taken, parsed);
        if (taken)
        {
            Assert.Equal((from, count), (parsedFrom, parsedCount));
        }
    }
}
