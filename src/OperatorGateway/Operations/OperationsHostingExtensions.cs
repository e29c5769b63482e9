using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TicketGateway.OperatorGateway.Cli;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>Registers the inspection, its history, fault alerts and notices (for <c>serve</c> and the CLI).</summary>
internal static class OperationsHostingExtensions
{
    /// <summary>The OpenTelemetry variable that turns trace export on.</summary>
    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

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
            var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("ticketgw"));
            if (!bool.TryParse(builder.Configuration[$"{OperationsOptions.Section}:Metrics:Enabled"], out var enabled) || enabled)
            {
                services.AddSingleton<GatewayMetrics>();
                telemetry.WithMetrics(metrics => metrics
                    .AddMeter(GatewayMetrics.MeterName)
                    // gRPC calls and their latency: http.server.request.duration per route (the gRPC method).
                    .AddAspNetCoreInstrumentation()
                    // Every scrape reads the store afresh (the snapshot behind the instruments is kept 1 s).
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
            }

            // Traces only when a collector is named: the exporter reads the other OTEL_EXPORTER_OTLP_*
            // settings (protocol, headers such as a collector's token) from the configuration itself.
            if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpoint]))
            {
                telemetry.WithTracing(tracing => tracing
                    // The operator's calls and the web console's requests, in...
                    .AddAspNetCoreInstrumentation()
                    // ...and the calls out: operator callbacks and chat robots (query strings, which may carry a robot's key, are redacted).
                    .AddHttpClientInstrumentation()
                    .AddOtlpExporter());
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

        var callers = new MetricsCallers(app.Services.GetRequiredService<IOptions<OperationsOptions>>().Value.Metrics.AllowFrom);
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use((context, next) =>
        {
            if (!callers.Allows(context.Connection.RemoteIpAddress))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return context.Response.WriteAsync(MetricsCallers.Refusal);
            }

            return next(context);
        }), optionsName: null).WithMetadata(Web.WebConsoleEndpoint.Instance);
        return app;
    }
}
