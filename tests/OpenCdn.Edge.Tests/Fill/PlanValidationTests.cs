using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Fill;
using OpenCdn.Edge.Tests.Support;

namespace OpenCdn.Edge.Tests.Fill;

/// <summary>A fill plan cannot make the edge write outside its data folder: items naming bad paths are dropped.</summary>
public sealed class PlanValidationTests
{
    [Theory]
    [InlineData("t1", "../../../escaped.mp4")]
    [InlineData("t1", "..")]
    [InlineData("t1", "/tmp/escaped.mp4")]
    [InlineData("t1", "sub\\..\\escaped.mp4")]
    [InlineData("../t1", "video.mp4")]
    [InlineData("t1/../..", "video.mp4")]
    public async Task PlanItemWithPathOutsideTheContentTree_IsDropped_OthersFill(string titleId, string file)
    {
        await using var bed = await FillBed.StartAsync();
        var good = bed.Item("good", 1, new Dictionary<string, byte[]> { ["video.mp4"] = TestContent.Bytes(1000) });
        var bytes = TestContent.Bytes(1000, seed: 9);
        bed.Origin.Add("escaped.mp4", bytes);
        var bad = new FillItem(titleId, 1, [TestContent.File(file, bytes)],
            [new FillSource(FillSourceKind.Origin, "origin", null, new Dictionary<string, Uri> { [file] = bed.Origin.UrlOf("o", "escaped.mp4") })]);

        await bed.SetPlanAsync(1, bad, good);
        var outcome = await bed.RunAsync();

        Assert.Equal(FillPassOutcome.Complete, outcome);
        Assert.Equal(["good"], bed.Edge.Get<FillPlanStore>().Current!.Items.Select(i => i.TitleId));
        Assert.DoesNotContain(bed.Origin.Requests, r => r.Path.EndsWith("escaped.mp4", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "escaped.mp4"));
        Assert.Empty(Directory.GetFiles(bed.Folder.Path, "escaped.mp4", SearchOption.AllDirectories));
    }
}
