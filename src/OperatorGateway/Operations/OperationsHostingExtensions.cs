using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
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
            if (!bool.TryParse(builder.Configuration[$"{OperationsOptions.Section}:Metrics:Enabled"], out var enabled) || enabled)
            {
                services.AddSingleton<GatewayMetrics>();
                services.AddOpenTelemetry().ConfigureResource(r => r.AddService("ticketgw")).WithMetrics(metrics => metrics
                    .AddMeter(GatewayMetrics.MeterName)
                    // gRPC calls and their latency: http.server.request.duration per route (the gRPC method).
                    .AddAspNetCoreInstrumentation()
                    // Every scrape reads the store afresh (the snapshot behind the instruments is kept 1 s).
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
            }
        }

        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> (Prometheus text) on the web endpoint, for loopback callers and the addresses in
    /// <c>Operations:Metrics:AllowFrom</c> only (403 for others): the figures are the desk's business.
    /// </summary>
    public static WebApplication MapOperationsMetrics(this WebApplication app)
    {
        if (app.Services.GetService<GatewayMetrics>() is null || app.Services.GetService<Web.WebEndpoint>() is null)
        {
            return app;
        }

        var allowed = app.Services.GetRequiredService<IOptions<OperationsOptions>>().Value.Metrics.AllowFrom
            .Select(a => System.Net.IPAddress.TryParse(a, out var ip) ? ip : throw new InvalidDataException($"Operations:Metrics:AllowFrom: '{a}' is not an IP address."))
            .ToHashSet();
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use((context, next) =>
        {
            var remote = context.Connection.RemoteIpAddress;
            var caller = remote is { IsIPv4MappedToIPv6: true } ? remote.MapToIPv4() : remote;
            if (caller is null || (!System.Net.IPAddress.IsLoopback(caller) && !allowed.Contains(caller)))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return context.Response.WriteAsync("/metrics answers loopback callers and Operations:Metrics:AllowFrom only.\n");
            }

            return next(context);
        }), optionsName: null).WithMetadata(Web.WebConsoleEndpoint.Instance);
        return app;
    }
}
