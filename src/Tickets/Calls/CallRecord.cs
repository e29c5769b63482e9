namespace TicketGateway.Tickets.Calls;

/// <summary>One hotline call from a call-detail record.</summary>
/// <param name="Key">Idempotency key: <c>uid:</c> and Asterisk's uniqueid, or <c>sha:</c> and a hash of the row.</param>
/// <param name="StartedAt">When the call came in (started ringing).</param>
/// <param name="AnsweredAt">When it was answered, if it was.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Caller">The caller's number.</param>
/// <param name="Disposition">Asterisk's disposition (ANSWERED, NO ANSWER, BUSY, FAILED, ...).</param>
public sealed record CallRecord(string Key, DateTimeOffset StartedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, string? Caller, string Disposition)
{
    /// <summary>The plan's rule: a caller left waiting over 60 s without an answer counts as not answered.</summary>
    public static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(60);

    /// <summary>The tickets created for this call (see <see cref="CallLinks"/>), when listed.</summary>
    public IReadOnlyList<long> TicketIds { get; init; } = [];

    /// <summary>Answered, and within <see cref="AnswerLimit"/> of ringing.</summary>
    public bool Answered => AnsweredAt is { } a && a - StartedAt <= AnswerLimit;
}
