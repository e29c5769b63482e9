namespace TicketGateway.TestSupport;

/// <summary>A fact that needs <see cref="PostgresServer"/>: skipped, with the reason printed, where PostgreSQL 15 is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
