using Microsoft.Extensions.Diagnostics.HealthChecks;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Hosting;

/// <summary>Healthy when the store answers a query.</summary>
internal sealed class StorageHealthCheck(TicketDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            database.Read(c => c.Scalar("SELECT COUNT(*) FROM schema_migrations"));
            return Task.FromResult(HealthCheckResult.Healthy("The store answers."));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or InvalidOperationException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The store does not answer.", ex));
        }
    }
}
