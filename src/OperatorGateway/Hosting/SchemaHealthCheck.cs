using Microsoft.Extensions.Diagnostics.HealthChecks;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Hosting;

/// <summary>
/// Healthy when the store holds exactly the schema steps this version knows: a step missing (a store
/// restored from an older backup while serving) or one it does not know (a newer version upgraded the
/// store: this node is the old one in a rolling upgrade) makes the node not ready.
/// </summary>
internal sealed class SchemaHealthCheck(TicketDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var known = database.SchemaVersions.Select(v => (long)v).ToHashSet();
        HashSet<long> applied;
        try
        {
            applied = database.Read(c =>
            {
                using var command = c.Command("SELECT version FROM schema_migrations");
                using var r = command.ExecuteReader();
                var set = new HashSet<long>();
                while (r.Read())
                {
                    set.Add(Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
                }

                return set;
            });
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or InvalidOperationException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The schema cannot be read: the store does not answer.", ex));
        }

        var missing = known.Except(applied).Order().ToList();
        var unknown = applied.Except(known).Order().ToList();
        return Task.FromResult(
            unknown.Count > 0 ? HealthCheckResult.Unhealthy($"The store has schema step(s) {string.Join(", ", unknown)} this version does not know: a newer version upgraded it; upgrade this node.")
            : missing.Count > 0 ? HealthCheckResult.Unhealthy($"The store lacks schema step(s) {string.Join(", ", missing)}: restart the node to apply them.")
            : HealthCheckResult.Healthy($"The schema is current ({applied.Count} steps, the last {applied.Max()})."));
    }
}
