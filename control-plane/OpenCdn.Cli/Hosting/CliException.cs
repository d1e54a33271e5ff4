namespace OpenCdn.Cli.Hosting;

/// <summary>An error the user can act on: its message is printed as one line and the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException()
        : this("opencdn failed.", ExitCodes.Failed)
    {
    }

    public CliException(string message)
        : this(message, ExitCodes.Failed)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Failed;
    }

    public int ExitCode { get; }
}
