namespace OpenCdn.Cli.Hosting;

/// <summary>What <c>opencdn</c> exits with, so scripts can tell the outcomes apart.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation failed: a title ended <c>failed</c>, or the server refused a request.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong, or what it names does not exist (a file, a title).</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached, or kept failing past the retries.</summary>
    public const int Unavailable = 3;

    /// <summary>Not logged in, the login expired, or the credentials were refused.</summary>
    public const int Unauthorized = 4;

    /// <summary>Stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
