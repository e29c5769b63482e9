namespace TicketGateway.Tickets;

/// <summary>Filters for listing tickets; null means any.</summary>
/// <param name="Status">Only this status.</param>
/// <param name="Kind">Only this kind.</param>
/// <param name="Channel">Only this channel.</param>
/// <param name="Limit">At most this many.</param>
/// <param name="DueBefore">Only tickets whose running deadline (<see cref="Ticket.NextDueAt"/>) falls at or before this instant.</param>
/// <param name="Customer">Only this customer's tickets: an email address (as given, or in lower case), or a phone number however written (<see cref="PhoneNumber"/>).</param>
public sealed record TicketQuery(TicketStatus? Status = null, TicketKind? Kind = null, Channel? Channel = null, int Limit = 10_000, DateTimeOffset? DueBefore = null,
    string? Customer = null)
{
    /// <summary>Only tickets this agent (login) owns; <see cref="Unowned"/> (the empty string) for tickets nobody owns.</summary>
    public string? Owner { get; init; }

    /// <summary>Only complaints of this level.</summary>
    public int? Level { get; init; }

    /// <summary>Only tickets still running (new, open or pending: those with a deadline running), the desk's queue.</summary>
    public bool Running { get; init; }

    /// <summary>The <see cref="Owner"/> filter that finds tickets nobody owns.</summary>
    public const string Unowned = "";
}
