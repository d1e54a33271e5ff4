using Microsoft.Extensions.Options;
using OpenCdn.Edge.Tests.Support;
using OpenCdn.Testing;

namespace OpenCdn.Edge.Tests.Hosting;

/// <summary>
/// Bad settings stop the appliance at start with a message naming them: the generated validator (what the natively
/// compiled appliance runs) checks the attributes and the options' own rules.
/// </summary>
public sealed class EdgeOptionsValidationTests
{
    [Theory]
    [InlineData("FillConcurrency", "99", "FillConcurrency")]
    [InlineData("DiskCapacityBytes", "0", "DiskCapacityBytes")]
    [InlineData("FillWindowTimeZone", "Mars/Olympus", "Unknown time zone 'Mars/Olympus'")]
    [InlineData("SendTimeout", "00:00:00", "Intervals and timeouts must be positive")]
    public async Task BadSetting_StopsTheStart_NamingIt(string key, string value, string expected)
    {
        using var folder = new TempFolder();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => EdgeHost.StartAsync(folder.Path, new Dictionary<string, string?> { [key] = value }, backgroundServices: false));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
