using System.Globalization;

namespace TicketGateway.Tickets.Kpis;

/// <summary>The figures per agent of one month: every agent account, then the work done by no agent account.</summary>
public sealed record AgentKpiReport
{
    /// <summary>The month reported.</summary>
    public required KpiMonth Month { get; init; }

    /// <summary>The desk's time zone name.</summary>
    public required string TimeZone { get; init; }

    /// <summary>When the figures were computed: ownership is as of this moment.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>One row per agent account (by login), then the row with a null login.</summary>
    public required IReadOnlyList<AgentFigures> Agents { get; init; }

    /// <summary><see cref="GeneratedAt"/> in <see cref="TimeZone"/>, ISO 8601 with the offset.</summary>
    public string AsOf => TimeZoneInfo.ConvertTime(GeneratedAt, TimeZoneInfo.FindSystemTimeZoneById(TimeZone))
        .ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The sum of a figure over every row: the month's total (e.g. first replies = replied tickets).</summary>
    public long Total(string key) => Agents.Sum(a => a.Figure(key));
}
