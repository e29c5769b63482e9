namespace TicketGateway.Tickets;

/// <summary>One message of a ticket's conversation, or an internal note.</summary>
public sealed record TicketMessage(
    long Id,
    MessageDirection Direction,
    DateTimeOffset At,
    string? From,
    string? To,
    string? Subject,
    string Text,
    string? MessageId,
    bool Automatic);
