using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TicketGateway.OperatorGateway.Cli;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>Registers the inspection, its history, fault alerts and notices (for <c>serve</c> and the CLI).</summary>
internal static class OperationsHostingExtensions
{
    /// <param name="builder">The host.</param>
    /// <param name="serve">True in <c>serve</c>: the daily inspection and the fault checks run as a background service.</param>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder, bool serve)
    {
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().Bind(builder.Configuration.GetSection(OperationsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>();
        services.AddSchema(OperationsSchema.Module);
        services.TryAddSingleton(sp => new TimeFormat(sp.GetRequiredService<DeadlineCalculator>().Zone));
        services.AddSingleton<Inspector>();
        services.AddSingleton<InspectionHistory>();
        services.AddSingleton(sp => new DutyNotices(
            sp.GetRequiredService<TicketDatabase>(), sp.GetRequiredService<DutyRoster>(), sp.GetRequiredService<IOptions<AlertsOptions>>(),
            sp.GetRequiredService<WebhookSender>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<Outbox>(), sp.GetService<ReplyOptions>()));
        services.AddSingleton<Faults>();
        if (serve)
        {
            services.AddHostedService<OperationsWorker>();
        }

        return builder;
    }
}
