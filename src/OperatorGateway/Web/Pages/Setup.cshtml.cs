using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Agents;

namespace TicketGateway.OperatorGateway.Web.Pages;

/// <summary>
/// First run: while the store has no account, the first admin is created here, with the one-time
/// token <c>serve</c> logged, and only from the machine itself unless <c>Web:SetupFromAnyAddress</c>.
/// </summary>
internal sealed class SetupModel(AgentAccounts accounts, SetupToken setupToken, IOptions<WebOptions> options, WebText text, ILogger<SetupModel> logger) : WebPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    /// <summary>True when the token and the address allow the set-up: the form is shown (again, after a refused field).</summary>
    public bool Open { get; private set; }

    public IActionResult OnGet() => Check() ?? Page();

    public async Task<IActionResult> OnPostAsync(string? login, string? name, string? email, string? password, CancellationToken cancellationToken)
    {
        if (Check() is { } refused)
        {
            return refused;
        }

        if (string.IsNullOrWhiteSpace(password) || password.Length < 8)
        {
            return Refuse(text["The password needs at least 8 characters."], StatusCodes.Status400BadRequest);
        }

        // Spent before the account is created, so two set-ups at once make one admin, not two.
        if (!setupToken.TrySpend())
        {
            return Refuse(text["The console is set up already; sign in."], StatusCodes.Status404NotFound);
        }

        AgentAccount account;
        try
        {
            account = await accounts.AddAsync(new NewAgent(login ?? "", name ?? "", email ?? "", null, AgentRole.Admin), password, cancellationToken);
        }
        catch (TicketException ex)
        {
            setupToken.Restore();
            return Refuse(ex.Message, StatusCodes.Status400BadRequest);
        }

        Log.WebFirstAdmin(logger, account.Login, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "-");
        await HttpContext.SignInAsync(WebConsoleHostingExtensions.Scheme, WebConsoleHostingExtensions.Principal(account));
        return LocalRedirect("/");
    }

    private PageResult? Check()
    {
        if (setupToken.Spent || accounts.List().Count > 0)
        {
            return Refuse(text["The console is set up already; sign in."], StatusCodes.Status404NotFound);
        }

        if (!options.Value.SetupFromAnyAddress && HttpContext.Connection.RemoteIpAddress is { } ip && !System.Net.IPAddress.IsLoopback(ip))
        {
            return Refuse(text["The set-up page answers only on the server itself (Web:SetupFromAnyAddress)."], StatusCodes.Status403Forbidden);
        }

        Open = setupToken.Matches(Token);
        return Open ? null : Refuse(text["The set-up token is missing or wrong; it is in the log of ticketgw serve."], StatusCodes.Status403Forbidden);
    }
}
