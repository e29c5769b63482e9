namespace TicketGateway.Tickets;

/// <summary>What is known when a contact is accepted.</summary>
/// <param name="Channel">How it arrived.</param>
/// <param name="Kind">What it is about.</param>
/// <param name="Customer">Who it is from.</param>
/// <param name="Subject">A one-line summary.</param>
/// <param name="Text">The customer's request, kept as the first inbound message.</param>
/// <param name="Level">Complaint level 1-4 (complaints only; default 1).</param>
/// <param name="Language">The reply language, <c>zh-CN</c> or <c>en</c>.</param>
/// <param name="AcceptedAt">When it was accepted; now when null (an agent recording a call afterwards sets it).</param>
public sealed record NewTicket(
    Channel Channel,
    TicketKind Kind,
    Customer Customer,
    string Subject,
    string Text,
    int? Level = null,
    string Language = "zh-CN",
    DateTimeOffset? AcceptedAt = null);
