using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TicketGateway.MailIntake.Imap;

/// <summary>The intake's connection state, for <c>/healthz</c> and the gRPC health service.</summary>
internal sealed class IntakeHealth : IHealthCheck
{
    private volatile State _state = new(HealthStatus.Healthy, "Mail intake is off (no Mail:Imap:Host).");

    public void Set(HealthStatus status, string description) => _state = new State(status, description);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = _state;
        return Task.FromResult(new HealthCheckResult(s.Status, s.Description));
    }

    private sealed record State(HealthStatus Status, string Description);
}
