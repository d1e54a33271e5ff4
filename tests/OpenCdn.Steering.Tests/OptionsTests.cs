using OpenCdn.Steering.Fill;
using OpenCdn.Steering.Popularity;

namespace OpenCdn.Steering.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.Null(new SteeringOptions().Validate());
        Assert.Null(new PopularityOptions().Validate());
        Assert.Null(new FillOptions().Validate());
        Assert.Equal(TimeSpan.FromSeconds(15), new SteeringOptions().DownAfter); // three of the edge's default 5-second heartbeats
    }

    [Fact]
    public void BadValues_SayWhatIsWrong()
    {
        Assert.Contains("LoadCeiling", new SteeringOptions { LoadCeiling = 1.5 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("MaxEdges", new SteeringOptions { MaxEdges = 4 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("Default", new SteeringOptions { DefaultLatitude = 1 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("Half-lives", new PopularityOptions { HalfLife = TimeSpan.Zero }.Validate(), StringComparison.Ordinal);
        Assert.Contains("DiskHeadroom", new FillOptions { DiskHeadroom = 1 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("MaxPlanAge", new FillOptions { MaxPlanAge = TimeSpan.Zero }.Validate(), StringComparison.Ordinal);
    }
}
