using Microsoft.Playwright;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>Waits on a page that, when they time out, say where the page is and what it shows.</summary>
internal static class PageWaits
{
    /// <summary>
    /// Waits (30 s) until the page is at <paramref name="url"/> and loaded. Not <c>WaitForURLAsync</c>: the
    /// .NET client compares the URL first and only then listens for navigations, so a navigation committed
    /// in between (its events arrive on another thread) is missed, and it times out on the very URL it waits
    /// for. The URL assertion is polled by Playwright's driver instead, and the load state is checked and
    /// listened for under one lock.
    /// </summary>
    public static async Task ReachAsync(this IPage page, string url)
    {
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 30_000 });
            await page.WaitForLoadStateAsync(LoadState.Load, new() { Timeout = 30_000 });
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            string text;
            try
            {
                text = await page.Locator("body").InnerTextAsync(new() { Timeout = 2_000 });
            }
            catch (PlaywrightException read)
            {
                text = "(unreadable: " + read.Message + ")";
            }

            throw new TimeoutException($"the page did not reach {url}; it is at {page.Url}, showing: {text[..Math.Min(text.Length, 300)]}; Playwright: {ex.Message}", ex);
        }
    }
}
