using System.Diagnostics;
using System.Text;

namespace OpenCdn.Testing;

/// <summary>
/// A real child process whose output is captured. <see cref="WaitForLineAsync"/> waits for a line it prints
/// (a ready line, say); dispose kills the whole process tree with SIGKILL.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _stdout = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far, stdout and stderr interleaved, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ChildProcess Start(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var child = new ChildProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        child._process.OutputDataReceived += (_, e) =>
        {
            child.OnLine(e.Data);
            if (e.Data is not null)
            {
                lock (child._output)
                {
                    child._stdout.Append(e.Data).Append('\n');
                }
            }
        };
        child._process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>What the process printed on stdout alone.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_output)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> to the process's stdin and closes it, as a pipe into the command would.</summary>
    public async Task WriteInputAndCloseAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        _process.StandardInput.Close();
    }

    /// <summary>Waits for the process to end; returns its exit code, or kills it and throws when time runs out.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"{_process.StartInfo.FileName} ran longer than {timeout}. Output:\n{Output}");
        }
        // WaitForExit without a timeout also waits for the redirected streams to drain.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Runs a command to its end and returns its stdout; throws with everything it printed when it fails.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        await using var process = Start(fileName, arguments);
        var exit = await process.WaitForExitAsync(timeout ?? TimeSpan.FromMinutes(3));
        return exit == 0 ? process.StandardOutput : throw new InvalidOperationException($"{fileName} exited with {exit}:\n{process.Output}");
    }

    /// <summary>Waits for a line matching <paramref name="match"/>; fails with the output so far if the process exits or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var already = _output.ToString().Split('\n').FirstOrDefault(match);
            if (already is not null)
            {
                return already;
            }
            _waiters.Add((match, seen));
        }
        using var cts = new CancellationTokenSource(timeout);
        var exited = _process.WaitForExitAsync(cts.Token);
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(Timeout.Infinite, cts.Token));
        if (first == seen.Task)
        {
            return await seen.Task;
        }
        if (_process.HasExited)
        {
            // The exit can be seen before the last lines are: let the output drain, then look again.
            _process.WaitForExit();
            lock (_output)
            {
                if (_output.ToString().Split('\n').FirstOrDefault(match) is { } late)
                {
                    return late;
                }
            }
        }
        var why = _process.HasExited ? $"exited with {_process.ExitCode}" : $"printed no matching line within {timeout}";
        throw new InvalidOperationException($"{_process.StartInfo.FileName} {why}. Output:\n{Output}");
    }

    /// <summary>SIGKILL, as an operator's <c>kill -9</c> or a crash would end it: no cleanup runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Append(line).Append('\n');
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult(line);
            }
        }
    }
}
