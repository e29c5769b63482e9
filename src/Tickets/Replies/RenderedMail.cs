namespace TicketGateway.Tickets.Replies;

/// <summary>A rendered template: a one-line subject, a text body and an optional HTML body.</summary>
public sealed record RenderedMail(string Subject, string Text, string? Html);
