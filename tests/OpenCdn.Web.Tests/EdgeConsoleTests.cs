using System.Net;
using Microsoft.Playwright;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>The admin console's edge actions against real edge appliances.</summary>
[Collection(EdgeFleetCollection.Name)]
public sealed class EdgeConsoleTests(EdgeFleet fleet)
{
    [Fact]
    public async Task AnEdgeDrainedInTheConsole_HearsIt_AndUndrainReturnsItToService()
    {
        var edge = fleet.Edges[1];
        await using var session = await fleet.OpenAsync(nameof(AnEdgeDrainedInTheConsole_HearsIt_AndUndrainReturnsItToService));
        var page = session.Page;
        await page.SignInAsAdminAsync("/admin/");
        var state = page.Locator("#edges-table tbody tr", new() { HasText = edge.Name }).Locator("td").Nth(2);
        var wait = new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 };
        await Assertions.Expect(state).ToHaveTextAsync("healthy", wait);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Drain {edge.Name}" }).ClickAsync();
        await Assertions.Expect(state).ToHaveTextAsync("draining", wait);
        // The appliance hears it in its next heartbeat: its health check tells the operator's load balancer too.
        await Eventually.TrueAsync(async () => await HealthAsync(edge) == "Degraded", "the edge's /healthz says Degraded");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Undrain {edge.Name}" }).ClickAsync();
        await Eventually.TrueAsync(async () => await HealthAsync(edge) == "Healthy", "the edge's /healthz says Healthy again");
        // Its heartbeats say so from then on: once one arrived, steering has it back (the other tests of the fleet need both).
        await Eventually.TrueAsync(async () => await StateAsync(edge) == "healthy", "the fleet view shows the edge healthy");
        await Assertions.Expect(state).ToHaveTextAsync("healthy", wait);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Drain {edge.Name}" })).ToBeVisibleAsync();
    }

    private async Task<string?> StateAsync(EdgeProcess edge) =>
        (await fleet.FleetAsync()).Single(e => e.GetProperty("name").GetString() == edge.Name).GetProperty("state").GetString();

    private static async Task<string> HealthAsync(EdgeProcess edge)
    {
        using var client = edge.Client();
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
