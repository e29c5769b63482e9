namespace TicketGateway.Tickets.Kpis;

/// <summary>Resolution-deadline compliance of the complaints of one level accepted in the month.</summary>
/// <param name="Level">Complaint level 1-4.</param>
/// <param name="Received">Complaints accepted.</param>
/// <param name="OnTime">Resolved at or before the deadline.</param>
/// <param name="Late">Resolved after the deadline.</param>
/// <param name="OpenPastDue">Not resolved, deadline passed (at the time of the report).</param>
public sealed record LevelCompliance(int Level, long Received, long OnTime, long Late, long OpenPastDue)
{
    /// <summary>Not resolved, deadline still running: pending, neither on time nor missed yet.</summary>
    public long Pending => Received - OnTime - Late - OpenPastDue;

    /// <summary>The complaints whose compliance is known: resolved, or open past their deadline.</summary>
    public long Decided => OnTime + Late + OpenPastDue;
}
