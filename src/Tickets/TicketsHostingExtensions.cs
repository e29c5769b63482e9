using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Agents;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Kpis;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets;

/// <summary>Registers the ticket core: storage, the working calendar, deadlines, the lifecycle.</summary>
public static class TicketsHostingExtensions
{
    /// <summary>Adds the <c>Storage</c> and <c>Sla</c> sections and the ticket services.</summary>
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder) => builder.AddTickets(createStore: true);

    /// <summary>
    /// Adds the ticket core; with <paramref name="createStore"/> false a missing store is an error
    /// when it is first used, not a new empty one (CLI commands other than <c>init</c>).
    /// </summary>
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder, bool createStore)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptions<SlaOptions>().Bind(builder.Configuration.GetSection(SlaOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlaOptions>, SlaOptionsValidator>();

        services.AddSingleton(sp => CalendarLoader.Load(sp.GetRequiredService<IOptions<SlaOptions>>().Value.CalendarFiles));
        services.AddSingleton(sp =>
        {
            var sla = sp.GetRequiredService<IOptions<SlaOptions>>().Value;
            return new DeadlineCalculator(sp.GetRequiredService<WorkingCalendar>(), sla.Zone(), sla);
        });
        services.AddSingleton(sp => new TicketDatabase(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<ILogger<TicketDatabase>>(),
            createStore,
            sp.GetServices<SchemaModule>()));
        services.AddSingleton<TicketService>();
        services.AddHostedService<PlannerStatistics>();
        services.AddSingleton<TicketSearch>();

        // Features that react to ticket changes (ITicketObserver) register here.
        // Agents first: automatic assignment sets the owner that the others' notifications read.
        builder.AddAgents();
        builder.AddReplies();
        builder.AddQuality();
        return builder;
    }
}
