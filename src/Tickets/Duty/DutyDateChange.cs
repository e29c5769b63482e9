namespace TicketGateway.Tickets.Duty;

/// <summary>
/// A date that differs from the regular shifts: with <see cref="From"/> and <see cref="To"/> the
/// person works only that shift starting that day; without them the person has the day off. Only
/// shifts starting on that date are replaced.
/// </summary>
public sealed class DutyDateChange
{
    /// <summary>The local date.</summary>
    public DateOnly Date { get; set; }

    /// <summary>Start of the replacement shift, or null for a day off.</summary>
    public TimeSpan? From { get; set; }

    /// <summary>End of the replacement shift, or null for a day off.</summary>
    public TimeSpan? To { get; set; }
}
