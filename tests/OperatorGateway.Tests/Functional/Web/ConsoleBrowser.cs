using Microsoft.Playwright;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>
/// Debian's chromium driven by Playwright, and the console's sign-in form, for every browser test.
/// The test process starts Playwright's driver and one headless chromium once (together about 3 s of
/// CPU, which the run spent again for every rig and test that launched its own); each rig or test
/// holds a <see cref="ConsoleBrowser"/> whose browser contexts (cookies, pages) are its own and are
/// closed when it is disposed. A browser that went away is started again for the next one.
/// </summary>
internal sealed class ConsoleBrowser : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? s_playwright;
    private static IBrowser? s_browser;

    private readonly IBrowser _browser;
    private readonly List<IBrowserContext> _contexts = [];

    private ConsoleBrowser(IBrowser browser) => _browser = browser;

    /// <summary>The process's browser, started on first use; its contexts are this holder's.</summary>
    public static async Task<ConsoleBrowser> OpenAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (s_browser is not { IsConnected: true })
            {
                if (s_playwright is null)
                {
                    s_playwright = await Playwright.CreateAsync();
                    // The driver (and with it chromium) ends with this process; closing it first ends chromium cleanly.
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => s_playwright.Dispose();
                }

                // Headless Debian chromium (scripts/install-test-deps.sh); Playwright cannot download its own here.
                s_browser = await s_playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = "/usr/bin/chromium",
                    Headless = true,
                    Args = ["--no-sandbox"],
                });
            }

            return new ConsoleBrowser(s_browser);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A fresh browser context (its own cookies and storage), closed with this holder.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var context = await _browser.NewContextAsync(options);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        return context;
    }

    /// <summary>A page in a fresh context at <paramref name="baseUrl"/>, with the browser's language <paramref name="locale"/>.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl, string locale) =>
        await (await NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, Locale = locale })).NewPageAsync();

    /// <summary>A fresh browser context signed in as <paramref name="login"/>, in Chinese, on the queue.</summary>
    public async Task<IPage> SignInAsync(string webUrl, string login, string password)
    {
        var context = await NewContextAsync(new BrowserNewContextOptions { BaseURL = webUrl, Locale = "zh-CN", AcceptDownloads = true });
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

    public async ValueTask DisposeAsync()
    {
        IBrowserContext[] contexts;
        lock (_contexts)
        {
            contexts = [.. _contexts];
            _contexts.Clear();
        }

        foreach (var context in contexts)
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException)
            {
                // Closed already, by the test or with a browser that went away.
            }
        }
    }
}
