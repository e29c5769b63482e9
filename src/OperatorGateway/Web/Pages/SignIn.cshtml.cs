using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using TicketGateway.OperatorGateway.Cli;
using TicketGateway.Tickets.Agents;

namespace TicketGateway.OperatorGateway.Web.Pages;

/// <summary>Sign-in with login and password; wrong passwords count towards the lock in the store.</summary>
internal sealed class SignInModel(AgentAccounts accounts, WebText text, TimeFormat time, ILogger<SignInModel> logger) : WebPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Login { get; private set; }

    public bool NoAccounts { get; private set; }

    public void OnGet() => NoAccounts = accounts.List().Count == 0;

    public async Task<IActionResult> OnPostAsync(string? login, string? password, CancellationToken cancellationToken)
    {
        Login = login?.Trim();
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "-";
        if (string.IsNullOrEmpty(Login) || string.IsNullOrEmpty(password))
        {
            return Refuse(text["Give your login and your password."], StatusCodes.Status400BadRequest);
        }

        var attempt = await accounts.SignInAsync(Login, password, cancellationToken);
        if (attempt.Account is not { } account)
        {
            Log.WebSignInRefused(logger, Login, address);
            return attempt.LockedUntil is { } until
                ? Refuse(text.Format("This account is locked after {0} wrong passwords in a row; try again after {1} (locks last {2} minutes).",
                    AgentAccounts.MaxFailedSignIns, time.Format(until), (int)AgentAccounts.LockDuration.TotalMinutes), StatusCodes.Status423Locked)
                : Refuse(text["Wrong login or password."], StatusCodes.Status401Unauthorized);
        }

        await HttpContext.SignInAsync(WebConsoleHostingExtensions.Scheme, WebConsoleHostingExtensions.Principal(account));
        Log.WebSignedIn(logger, account.Login, address);
        return LocalRedirect(LocalOrQueue(ReturnUrl));
    }
}
