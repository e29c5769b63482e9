using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Agents;

namespace TicketGateway.OperatorGateway.Web.Pages.Agents;

/// <summary>
/// The agents' accounts for an admin: add, disable, enable, role, new password, through the
/// <see cref="AgentAccounts"/> the <c>agents</c> commands use, with the same checks and messages. Each
/// change is logged with the admin who made it. An admin cannot disable or demote their own account
/// here, so the console never locks out its last admin by a slip.
/// </summary>
[Authorize(Policy = WebPolicies.Admin)]
internal sealed class AgentsModel(AgentAccounts accounts, WebText text, ILogger<AgentsModel> logger) : WebPageModel
{
    public const int MinPasswordLength = 8;

    public IReadOnlyList<AgentAccount> Accounts { get; private set; } = [];

    /// <summary>The add form's fields, kept when a field is refused.</summary>
    public NewAgent? Draft { get; private set; }

    public void OnGet(string? done, string? login)
    {
        Done = done switch
        {
            "added" => text.Format("Agent {0} added.", login),
            "disabled" => text.Format("Agent {0} disabled: they can no longer sign in or act.", login),
            "enabled" => text.Format("Agent {0} enabled.", login),
            "role" => text.Format("Agent {0} has a new role.", login),
            "password" => text.Format("Agent {0} has a new password.", login),
            _ => null,
        };
        Accounts = accounts.List();
    }

    public async Task<IActionResult> OnPostAsync(string? action, string? login, string? name, string? email, string? mobile, string? role, string? password, CancellationToken cancellationToken)
    {
        login = login?.Trim() ?? "";
        try
        {
            switch (action)
            {
                case "add":
                    Draft = new NewAgent(login, name ?? "", email ?? "", mobile, AgentRole.Agent);
                    var added = await accounts.AddAsync(Draft with { Role = Role(role) }, Password(password), cancellationToken);
                    return Changed("added", added.Login);
                case "disable":
                    NotMyself(login);
                    return Changed("disabled", (await accounts.DisableAsync(login, cancellationToken)).Login);
                case "enable":
                    return Changed("enabled", (await accounts.EnableAsync(login, cancellationToken)).Login);
                case "role":
                    var newRole = Role(role);
                    if (newRole != AgentRole.Admin)
                    {
                        NotMyself(login);
                    }

                    return Changed("role", (await accounts.SetRoleAsync(login, newRole, cancellationToken)).Login, Names.Of(newRole));
                case "password":
                    return Changed("password", (await accounts.SetPasswordAsync(login, Password(password), cancellationToken)).Login);
                default:
                    return Refused(text["Choose an action."], StatusCodes.Status400BadRequest);
            }
        }
        catch (TicketException ex)
        {
            return Refused(ex.Message, ex.Error switch
            {
                TicketError.NotFound => StatusCodes.Status404NotFound,
                TicketError.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            });
        }
    }

    private RedirectResult Changed(string done, string login, string? detail = null)
    {
        Log.WebAgentChanged(logger, Actor, detail is null ? done : $"{done} {detail}:", login);
        return Redirect($"/agents?done={done}&login={Uri.EscapeDataString(login)}");
    }

    private PageResult Refused(string message, int status)
    {
        Accounts = accounts.List();
        return Refuse(message, status);
    }

    private AgentRole Role(string? role) =>
        Names.TryParse<AgentRole>(role ?? "", out var value) ? value
            : throw new TicketException(TicketError.Invalid, text.Format("'{0}' is not a role; use one of {1}.", role, Names.All<AgentRole>()));

    private string Password(string? password) =>
        password is { Length: >= MinPasswordLength } && password.Trim().Length > 0 ? password
            : throw new TicketException(TicketError.Invalid, text["The password needs at least 8 characters."]);

    private void NotMyself(string login)
    {
        if (string.Equals(login, Actor, StringComparison.OrdinalIgnoreCase))
        {
            throw new TicketException(TicketError.Conflict, text["You cannot disable your own account or take your own admin role away; another admin can."]);
        }
    }
}
