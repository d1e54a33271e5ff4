using System.ComponentModel.DataAnnotations;
using OpenCdn.ControlPlane.Fleet;

namespace OpenCdn.ControlPlane.Tests.Fleet;

/// <summary>The fleet's timings an operator sets: what start-up refuses, with the key named.</summary>
public sealed class FleetOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndFlushPlaysLessOftenThanTheyAreSynced()
    {
        var defaults = new FleetOptions();

        Assert.Empty(Problems(defaults));
        Assert.True(defaults.PopularityFlushInterval >= 30 * defaults.SyncInterval, "a flush per sync pass costs a write per decision at scale");
    }

    [Theory]
    [InlineData("00:00:00.500", "PopularityFlushInterval")] // shorter than SyncInterval (1 s)
    [InlineData("02:00:00", "PopularityFlushInterval")]
    public void PopularityFlushInterval_OutsideItsRange_IsRefused(string flush, string key)
    {
        var options = new FleetOptions { PopularityFlushInterval = TimeSpan.Parse(flush, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Contains(Problems(options), p => p.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void PlanningLease_ShorterThanThreeSyncIntervals_IsRefused()
    {
        var options = new FleetOptions { SyncInterval = TimeSpan.FromSeconds(2), PlanningLease = TimeSpan.FromSeconds(5) };

        Assert.Contains(Problems(options), p => p.Contains("PlanningLease", StringComparison.Ordinal));
    }

    private static List<string> Problems(FleetOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }
}
