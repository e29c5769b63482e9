using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace TicketGateway.OperatorGateway.Web.Pages;

/// <summary>Sign-out (a form post, so another site cannot sign an agent out with a link).</summary>
internal sealed class SignOutModel : WebPageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(WebConsoleHostingExtensions.Scheme);
        return LocalRedirect("/signin");
    }
}
