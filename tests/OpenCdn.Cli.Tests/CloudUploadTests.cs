using System.Security.Cryptography;
using OpenCdn.Testing;
using Xunit.Abstractions;

namespace OpenCdn.Cli.Tests;

/// <summary><c>opencdn upload</c> against cloud mode, where the master is staged as an S3 multipart upload.</summary>
public sealed class CloudUploadTests(CloudPlatform cloud, ITestOutputHelper log) : IClassFixture<CloudPlatform>, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly OpencdnCli _cli = new(log);

    [Fact]
    public async Task Upload_InChunksThatAreNotParts_PutsTheExactMasterInTheBucket()
    {
        var master = _folder.Combine("random.bin");
        var bytes = new byte[21 << 20];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(master, bytes);
        await _cli.LoginAsAdminAsync(cloud.Platform.BaseUrl);

        // 3 MB PATCHes: each ends inside an 8 MiB part, so every one leaves a tail the next one folds in.
        var upload = await _cli.RunAsync(["upload", master, "--name", "Random bytes", "--chunk-size", "3000000"]);

        Assert.True(upload.ExitCode == 0, upload.Output);
        var id = upload.LastLine;
        using var s3 = cloud.S3.CreateClient();
        using var stored = await s3.GetObjectAsync(S3Emulator.Bucket, $"masters/{id}/random.bin");
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
    }

    public void Dispose()
    {
        _cli.Dispose();
        _folder.Dispose();
    }
}
