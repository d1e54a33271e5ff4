using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OpenCdn.Cli.Config;
using OpenCdn.Cli.Hosting;
using OpenCdn.Contracts.Api;

namespace OpenCdn.Cli.Api;

/// <summary>
/// The control plane's public HTTP API, as the CLI uses it: auth and the catalog. Uploads go through
/// <see cref="Uploads.TusClient"/>.
/// </summary>
internal sealed class ApiClient : IDisposable
{
    /// <summary>One request may carry a whole chunk on a slow link; retries handle what takes longer.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private ApiClient(Uri server, string? accessToken)
    {
        Http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout }) { BaseAddress = server, Timeout = RequestTimeout };
        Http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("opencdn-cli", "1.0"));
        if (accessToken is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
    }

    public HttpClient Http { get; }

    public Uri Server => Http.BaseAddress!;

    public static ApiClient Anonymous(Uri server) => new(server, null);

    public static ApiClient For(Credentials credentials) => new(credentials.Server, credentials.AccessToken);

    public async Task<TokenResponse> IssueTokenAsync(string username, string password, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync(
            "/api/v1/auth/token", new TokenRequest(username, password), CliJson.Default.TokenRequest, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var detail = await ApiErrors.DetailAsync(response, cancellationToken) ?? "unknown user or wrong password.";
            throw new CliException($"Login failed: {detail}", ExitCodes.Unauthorized);
        }
        return await ReadAsync(response, CliJson.Default.TokenResponse, "Login failed", cancellationToken);
    }

    public async Task<TitleView> CreateTitleAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync(
            "/api/v1/titles", new CreateTitleRequest(name), CliJson.Default.CreateTitleRequest, cancellationToken);
        return await ReadAsync(response, CliJson.Default.TitleView, "Creating the title failed", cancellationToken);
    }

    /// <summary>The title, or null when there is no such title.</summary>
    public async Task<TitleView?> FindTitleAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync($"/api/v1/titles/{Uri.EscapeDataString(id)}", cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await ReadAsync(response, CliJson.Default.TitleView, $"Reading title {id} failed", cancellationToken);
    }

    public async Task<List<TitleView>> ListTitlesAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync("/api/v1/titles", cancellationToken);
        return await ReadAsync(response, CliJson.Default.ListTitleView, "Listing titles failed", cancellationToken);
    }

    public void Dispose() => Http.Dispose();

    private static async Task<T> ReadAsync<T>(
        HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ApiErrors.DescribeAsync(response, what, cancellationToken);
        }
        return await response.Content.ReadFromJsonAsync(type, cancellationToken)
            ?? throw new CliException($"{what}: the server sent an empty answer.", ExitCodes.Unavailable);
    }
}
