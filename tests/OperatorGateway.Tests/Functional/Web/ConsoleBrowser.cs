using Microsoft.Playwright;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>Debian's chromium driven by Playwright, and the console's sign-in form, for every browser test.</summary>
internal static class ConsoleBrowser
{
    /// <summary>Headless Debian chromium (scripts/install-test-deps.sh); Playwright cannot download its own here.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox"],
        });

    /// <summary>A fresh browser context (its own cookies) signed in as <paramref name="login"/>, in Chinese, on the queue.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, string webUrl, string login, string password)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = webUrl, Locale = "zh-CN", AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("input[name=login]", login);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("form button[type=submit]:not([name])");
        await page.ReachAsync(webUrl + "/");
        return page;
    }

    /// <summary>The antiforgery token of the page's first form, to post a form the page does not offer.</summary>
    public static Task<string> TokenAsync(IPage page) =>
        page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
}
