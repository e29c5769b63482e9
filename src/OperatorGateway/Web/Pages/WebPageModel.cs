using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TicketGateway.OperatorGateway.Web.Pages;

/// <summary>What every console page has: the signed-in agent as the actor, and one message line for the outcome of an action.</summary>
internal abstract class WebPageModel : PageModel
{
    /// <summary>The signed-in agent's login, recorded as the actor as the CLI's <c>--as LOGIN</c> is.</summary>
    protected string Actor => WebPolicies.Login(User);

    /// <summary>What went wrong, one sentence, shown at the top; nothing was changed.</summary>
    public string? Error { get; protected set; }

    /// <summary>What the last action did.</summary>
    public string? Done { get; protected set; }

    /// <summary>The page itself with an error line and its status code.</summary>
    protected PageResult Refuse(string message, int status)
    {
        Error = message;
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>A local address to go back to, or the queue.</summary>
    protected string LocalOrQueue(string? returnUrl) => !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
