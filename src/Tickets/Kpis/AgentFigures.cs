namespace TicketGateway.Tickets.Kpis;

/// <summary>
/// One agent's figures for a month (see <see cref="KpiCalculator.ComputeByAgent"/> for how each is
/// attributed), or, with a null <see cref="Login"/>, the work of actors that are no agent account
/// (<c>cli:&lt;os user&gt;</c>, operator ids, system jobs) and of nobody (unowned tickets, repeats of a
/// complaint nobody resolved), so that every column adds up to the month's totals.
/// </summary>
public sealed record AgentFigures
{
    /// <summary>The figures behind which <see cref="Refs"/> lists tickets, in the order reports show them.</summary>
    public static IReadOnlyList<string> FigureKeys { get; } =
    [
        "tickets_owned", "replies_sent", "first_replies", "first_replies_on_time", "complaints_resolved",
        "complaints_resolved_on_time", "surveys_received", "satisfied", "repeat_complaints",
    ];

    /// <summary>The agent's login; null for the row of work done by no agent account.</summary>
    public string? Login { get; init; }

    /// <summary>The agent's display name, or <c>(no agent account)</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The agent's role (<c>agent</c>, <c>lead</c>, <c>admin</c>); null for the other row.</summary>
    public string? Role { get; init; }

    /// <summary>Whether the account is active (a disabled agent keeps the figures of the work they did).</summary>
    public bool Active { get; init; } = true;

    /// <summary>The month's tickets the agent owns at the report's moment.</summary>
    public long TicketsOwned { get; init; }

    /// <summary>Replies the agent wrote on the month's tickets: outbound messages that are not automatic.</summary>
    public long RepliesSent { get; init; }

    /// <summary>The month's tickets whose first reply the agent gave.</summary>
    public long FirstReplies { get; init; }

    /// <summary>Of <see cref="FirstReplies"/>, those at or before the reply deadline.</summary>
    public long FirstRepliesOnTime { get; init; }

    /// <summary>The month's complaints resolved (now) whose resolution the agent recorded.</summary>
    public long ComplaintsResolved { get; init; }

    /// <summary>Of <see cref="ComplaintsResolved"/>, those resolved at or before the resolution deadline.</summary>
    public long ComplaintsResolvedOnTime { get; init; }

    /// <summary>The median time from acceptance to the first reply over <see cref="FirstReplies"/>; null without any.</summary>
    public TimeSpan? MedianFirstReply { get; init; }

    /// <summary>The month's tickets with a survey answer whose latest resolution the agent recorded.</summary>
    public long SurveysReceived { get; init; }

    /// <summary>Of <see cref="SurveysReceived"/>, the answers "satisfied".</summary>
    public long Satisfied { get; init; }

    /// <summary>The month's repeat complaints whose earlier complaint (the one repeated) the agent resolved.</summary>
    public long RepeatComplaints { get; init; }

    /// <summary>
    /// With refs requested, per key of <see cref="FigureKeys"/> the ticket references behind the figure
    /// (for <c>replies_sent</c> the tickets replied on), oldest first, at most <see cref="KpiCalculator.MissedListLimit"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Refs { get; init; }

    /// <summary><see cref="FirstRepliesOnTime"/> over <see cref="FirstReplies"/> in percent; null without first replies.</summary>
    public decimal? FirstReplyOnTimeRate => Rate(FirstRepliesOnTime, FirstReplies);

    /// <summary><see cref="ComplaintsResolvedOnTime"/> over <see cref="ComplaintsResolved"/> in percent; null without any.</summary>
    public decimal? ResolvedOnTimeRate => Rate(ComplaintsResolvedOnTime, ComplaintsResolved);

    /// <summary><see cref="Satisfied"/> over <see cref="SurveysReceived"/> in percent; null without answers.</summary>
    public decimal? SatisfactionRate => Rate(Satisfied, SurveysReceived);

    /// <summary>The value of a figure by its key in <see cref="FigureKeys"/>.</summary>
    public long Figure(string key) => key switch
    {
        "tickets_owned" => TicketsOwned,
        "replies_sent" => RepliesSent,
        "first_replies" => FirstReplies,
        "first_replies_on_time" => FirstRepliesOnTime,
        "complaints_resolved" => ComplaintsResolved,
        "complaints_resolved_on_time" => ComplaintsResolvedOnTime,
        "surveys_received" => SurveysReceived,
        "satisfied" => Satisfied,
        "repeat_complaints" => RepeatComplaints,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a figure key"),
    };

    private static decimal? Rate(long numerator, long denominator) => denominator == 0 ? null : Math.Round(100m * numerator / denominator, 2);
}
