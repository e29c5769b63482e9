using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TicketGateway.OperatorGateway.Hosting;

/// <summary>Registers and maps the gateway's network surface.</summary>
internal static class OperatorGatewayHostingExtensions
{
    public static IHostApplicationBuilder AddOperatorGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = false);
        builder.Services.AddGrpcReflection();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        builder.Services.AddGrpcHealthChecks();
        return builder;
    }

    public static WebApplication MapOperatorGateway(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return app;
    }
}
