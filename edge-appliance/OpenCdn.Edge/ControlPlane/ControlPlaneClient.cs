using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using OpenCdn.Contracts.Edges;
using OpenCdn.Edge.Content;
using OpenCdn.Edge.Hosting;

namespace OpenCdn.Edge.ControlPlane;

/// <summary>The three control-plane routes an edge calls: register (bootstrap token), heartbeat and fill plan (edge credential).</summary>
internal sealed class ControlPlaneClient(IHttpClientFactory clients, IOptions<EdgeOptions> options)
{
    public const string ClientName = "control-plane";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public Task<ControlPlaneCall<RegisterEdgeResponse>> RegisterAsync(
        RegisterEdgeRequest request, string bootstrapToken, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/v1/edges/register", bootstrapToken,
            JsonContent.Create(request, EdgeJson.Default.RegisterEdgeRequest), EdgeJson.Default.RegisterEdgeResponse, cancellationToken);

    public Task<ControlPlaneCall<HeartbeatResponse>> HeartbeatAsync(
        EdgeIdentity identity, EdgeHeartbeat heartbeat, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/v1/edges/{Uri.EscapeDataString(identity.EdgeId)}/heartbeat", identity.Credential,
            JsonContent.Create(heartbeat, EdgeJson.Default.EdgeHeartbeat), EdgeJson.Default.HeartbeatResponse, cancellationToken);

    public Task<ControlPlaneCall<FillPlan>> GetFillPlanAsync(EdgeIdentity identity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/v1/edges/{Uri.EscapeDataString(identity.EdgeId)}/fill-plan", identity.Credential,
            body: null, EdgeJson.Default.FillPlan, cancellationToken);

    private async Task<ControlPlaneCall<T>> SendAsync<T>(
        HttpMethod method, string path, string bearer, HttpContent? body, JsonTypeInfo<T> answer, CancellationToken cancellationToken)
        where T : class
    {
        var baseUrl = options.Value.ControlPlaneUrl!.AbsoluteUri.TrimEnd('/') + "/";
        using var request = new HttpRequestMessage(method, new Uri(new Uri(baseUrl), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        request.Content = body;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, timeout.Token);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return new(CallStatus.Unauthorized, null, $"{(int)response.StatusCode} from {path}");
            }
            if (!response.IsSuccessStatusCode)
            {
                return new(CallStatus.Failed, null, $"{(int)response.StatusCode} from {path}");
            }
            var value = await response.Content.ReadFromJsonAsync(answer, timeout.Token);
            return value is null ? new(CallStatus.Failed, null, $"empty answer from {path}") : new(CallStatus.Ok, value);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new(CallStatus.Failed, null, e.Message);
        }
    }
}
