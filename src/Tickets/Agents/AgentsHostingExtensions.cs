using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Agents;

/// <summary>Registers agent accounts, ticket ownership and automatic assignment.</summary>
public static class AgentsHostingExtensions
{
    /// <summary>
    /// Adds the <c>Desk</c> section, the accounts and ownership services, the automatic assignment
    /// (an observer, registered before the others so their notifications see the owner), and the
    /// start-up import of the <c>Agents:N</c> entries.
    /// </summary>
    public static IHostApplicationBuilder AddAgents(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DeskOptions>().Bind(builder.Configuration.GetSection(DeskOptions.Section)).ValidateOnStart();
        services.AddSingleton(sp => new AgentAccounts(sp.GetRequiredService<TicketDatabase>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AgentAccounts>>()));
        services.AddSingleton(sp => new TicketOwnership(sp.GetRequiredService<TicketService>()));
        services.AddSingleton<ITicketObserver>(sp => new AutoAssignObserver(
            sp.GetRequiredService<IOptions<DeskOptions>>(), sp.GetRequiredService<DutyRoster>, sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<AgentConfigImport>();
        return builder;
    }
}
