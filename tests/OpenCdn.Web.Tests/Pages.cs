using Microsoft.Playwright;
using OpenCdn.Testing;

namespace OpenCdn.Web.Tests;

/// <summary>What a person does on the pages, as steps the tests share.</summary>
internal static class Pages
{
    public static async Task SignInAsync(this IPage page, string path, string user, string password)
    {
        await page.GotoAsync(path);
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Signed in once the form is gone (the session is in the tab's storage): a reload before that would sign the tab out.
        await Assertions.Expect(page.Locator("#signin")).ToBeHiddenAsync(new() { Timeout = 30_000 });
    }

    public static Task SignInAsAdminAsync(this IPage page, string path) => page.SignInAsync(path, "admin", PlatformProcesses.AdminPassword);

    public static Task SignInAsViewerAsync(this IPage page) => page.SignInAsync("/", "viewer", PlatformProcesses.ViewerPassword);

    /// <summary>On the signed-in admin console: uploads a master under a name and waits until the page shows it ready.</summary>
    public static async Task UploadThroughConsoleAsync(this IPage page, string name, string masterPath)
    {
        await page.GetByPlaceholder("Title name").FillAsync(name);
        await page.SetInputFilesAsync("#upload-file", masterPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#upload-status")).ToHaveAttributeAsync("data-outcome", "ready", new() { Timeout = 180_000 });
    }

    /// <summary>Signs in as the viewer and presses the title's Play button.</summary>
    public static async Task PlayAsViewerAsync(this IPage page, string titleName)
    {
        await page.SignInAsViewerAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Play {titleName}" }).ClickAsync();
    }
}
