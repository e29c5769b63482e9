using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Calls;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Kpis;

/// <summary>Registers service quality: indicators, call records, the repeat rule, the duty roster and alerts.</summary>
public static class QualityHostingExtensions
{
    /// <summary>
    /// Adds the <c>Quality</c>, <c>Duty</c> and <c>Alerts</c> sections and their services. The alert
    /// worker and the start-up roster report are hosted services: they run in the server, not in the CLI.
    /// </summary>
    public static IHostApplicationBuilder AddQuality(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<QualityOptions>().Bind(builder.Configuration.GetSection(QualityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<QualityOptions>, QualityOptionsValidator>();
        services.AddOptions<DutyOptions>().Bind(builder.Configuration.GetSection(DutyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DutyOptions>, DutyOptionsValidator>();
        Delivery.RenamedSettingsWarning.Add(services, AlertsOptions.Section + ":Webhook",
            ("RetryDelay", "PostRetryDelay"), ("RetryInterval", "RetryBaseDelay and RetryMaxDelay"), ("MaxAttempts", "RetryMaxAttempts"));
        services.AddOptions<AlertsOptions>().Bind(builder.Configuration.GetSection(AlertsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertsOptions>, AlertsOptionsValidator>();

        services.AddSingleton<ITicketObserver>(sp => new RepeatComplaintObserver(
            sp.GetRequiredService<TicketService>, sp.GetRequiredService<IOptions<QualityOptions>>()));
        services.AddSingleton(sp => new KpiCalculator(sp.GetRequiredService<TicketDatabase>(), Zone(sp), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<QualityOptions>>().Value.SurveyWindow));
        services.AddSingleton(sp => new CallStore(sp.GetRequiredService<TicketDatabase>(), Zone(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new DutyRoster(sp.GetRequiredService<IOptions<DutyOptions>>().Value, Zone(sp)));
        services.AddSingleton<AlertSignal>();
        services.AddSingleton(sp => new AlertStore(
            sp.GetRequiredService<TicketDatabase>(), sp.GetRequiredService<DutyRoster>(), sp.GetRequiredService<IOptions<AlertsOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AlertSignal>(), sp.GetService<Replies.Outbox>(),
            sp.GetService<Replies.ReplyOptions>()?.DeskLanguage ?? "zh-CN"));
        AddWebhookClient(services);
        services.AddSingleton(sp => new WebhookSender(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.ClientName), sp.GetRequiredService<IOptions<AlertsOptions>>()));
        services.AddHostedService<DutyCoverageReport>();
        NodeHeartbeat.Add(services);
        services.AddHostedService<AlertWorker>();
        return builder;
    }

    /// <summary>The chat webhook's <see cref="HttpClient"/> with the standard resilience handler, its retry delay from <c>Alerts:Webhook:PostRetryDelay</c>.</summary>
    public static IServiceCollection AddWebhookClient(IServiceCollection services)
    {
        services.AddHttpClient(WebhookSender.ClientName)
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions o, IServiceProvider sp) =>
                o.Retry.Delay = sp.GetRequiredService<IOptions<AlertsOptions>>().Value.Webhook.PostRetryDelay);
        return services;
    }

    private static TimeZoneInfo Zone(IServiceProvider sp) => sp.GetRequiredService<DeadlineCalculator>().Zone;
}
