using System.CommandLine;
using OpenCdn.Cli.Api;
using OpenCdn.Cli.Config;
using OpenCdn.Cli.Hosting;
using Spectre.Console;

namespace OpenCdn.Cli.Login;

/// <summary><c>opencdn login --server URL --user NAME [--password-stdin]</c>: trades a password for a token and keeps it.</summary>
internal static class LoginCommand
{
    public static Command Create(CommandContext context)
    {
        var server = new Option<string>("--server") { Description = "The control plane's URL, e.g. https://cdn.example.net", Required = true };
        var user = new Option<string>("--user") { Description = "Your user name", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of prompting" };
        var command = new Command("login", "Log in to an OpenCdn control plane; the token is kept in the config folder (0600).")
        {
            server, user, passwordStdin,
        };
        context.SetAction(command, (parse, cancellationToken) => RunAsync(
            context, parse.GetRequiredValue(server), parse.GetRequiredValue(user), parse.GetValue(passwordStdin), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CommandContext context, string serverUrl, string user, bool passwordStdin, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(serverUrl, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--server must be an http or https URL, not '{serverUrl}'.", ExitCodes.Usage);
        }
        var password = await ReadPasswordAsync(context.Terminal, passwordStdin, cancellationToken);
        using var api = ApiClient.Anonymous(server);
        var token = await api.IssueTokenAsync(user, password, cancellationToken);
        var store = new CredentialStore(context.Config, context.Time);
        await store.SaveAsync(new Credentials(server, user, token.AccessToken, token.ExpiresAt, token.Roles), cancellationToken);
        context.Terminal.Info(
            $"Logged in to {server} as {user} (roles: {string.Join(", ", token.Roles)}); the login lasts until {token.ExpiresAt:u}.");
        return ExitCodes.Success;
    }

    /// <summary>From stdin when asked to or when it is piped; otherwise a prompt that does not echo.</summary>
    private static async Task<string> ReadPasswordAsync(Terminal terminal, bool fromStdin, CancellationToken cancellationToken)
    {
        string? password;
        if (fromStdin || Console.IsInputRedirected)
        {
            password = (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n');
        }
        else
        {
            password = await terminal.Ui.PromptAsync(new TextPrompt<string>("Password:").Secret(), cancellationToken);
        }
        return string.IsNullOrEmpty(password) ? throw new CliException("No password given.", ExitCodes.Usage) : password;
    }
}
