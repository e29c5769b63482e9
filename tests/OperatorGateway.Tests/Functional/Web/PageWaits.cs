using Microsoft.Playwright;

namespace TicketGateway.OperatorGateway.Tests.Functional.Web;

/// <summary>Waits on a page that, when they time out, say where the page is and what it shows.</summary>
internal static class PageWaits
{
    /// <summary>Waits (Playwright's 30 s) until the page is at <paramref name="url"/>; a timeout names the URL reached and the page's text.</summary>
    public static async Task ReachAsync(this IPage page, string url)
    {
        try
        {
            await page.WaitForURLAsync(url);
        }
        catch (TimeoutException ex)
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

            throw new TimeoutException($"the page did not reach {url}; it is at {page.Url}, showing: {text[..Math.Min(text.Length, 600)]}", ex);
        }
    }
}
