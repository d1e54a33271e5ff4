namespace OpenCdn.Testing;

/// <summary>
/// One of the emulators in <c>infra/local</c> (s3rver, local-aws-sqs) started on 127.0.0.1 for a test fixture.
/// It exits with the test host: it watches its stdin, which this process holds open.
/// </summary>
public abstract class LocalServiceEmulator : IAsyncLifetime
{
    private ChildProcess? _process;

    public int Port { get; private set; }

    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    protected abstract string Script { get; }

    protected virtual IEnumerable<string> Arguments => [];

    public async Task InitializeAsync()
    {
        if (!Directory.Exists(Path.Combine(RepoPaths.LocalServices, "node_modules")))
        {
            throw new InvalidOperationException($"The local emulators are not installed: run ./test.sh, or npm ci in {RepoPaths.LocalServices}.");
        }
        _process = ChildProcess.Start("node", [Script, "0", .. Arguments, "--watch-stdin"], RepoPaths.LocalServices);
        var ready = await _process.WaitForLineAsync(line => line.StartsWith("listening ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Port = int.Parse(ready["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
