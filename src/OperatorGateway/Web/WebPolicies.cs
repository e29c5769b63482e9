using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Agents;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>The roles as authorization policies, each including the ones above it: agent &lt; lead &lt; admin.</summary>
internal static class WebPolicies
{
    public const string Agent = "agent";
    public const string Lead = "lead";
    public const string Admin = "admin";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Agent, p => p.RequireAuthenticatedUser().RequireRole(Names.Of(AgentRole.Agent), Names.Of(AgentRole.Lead), Names.Of(AgentRole.Admin)));
        options.AddPolicy(Lead, p => p.RequireAuthenticatedUser().RequireRole(Names.Of(AgentRole.Lead), Names.Of(AgentRole.Admin)));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Names.Of(AgentRole.Admin)));
        options.DefaultPolicy = options.GetPolicy(Agent)!;
    }

    /// <summary>The signed-in agent's login: the actor of everything they do, as <c>--as LOGIN</c> in the CLI.</summary>
    public static string Login(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("The request is not signed in.");
}
