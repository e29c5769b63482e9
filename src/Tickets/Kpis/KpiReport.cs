using System.Globalization;

namespace TicketGateway.Tickets.Kpis;

/// <summary>The monthly indicator pack.</summary>
public sealed record KpiReport
{
    /// <summary>The month reported.</summary>
    public required KpiMonth Month { get; init; }

    /// <summary>The desk's time zone name.</summary>
    public required string TimeZone { get; init; }

    /// <summary>When the report was computed: what is pending and what is past due depends on it.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary><see cref="GeneratedAt"/> in <see cref="TimeZone"/>, ISO 8601 with the offset (<c>2026-11-10T12:00:00+08:00</c>).</summary>
    public string AsOf => TimeZoneInfo.ConvertTime(GeneratedAt, TimeZoneInfo.FindSystemTimeZoneById(TimeZone))
        .ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The eight indicators, in the plan's order.</summary>
    public required IReadOnlyList<Indicator> Indicators { get; init; }

    /// <summary>Resolution-deadline compliance per complaint level 1-4.</summary>
    public required IReadOnlyList<LevelCompliance> Levels { get; init; }

    /// <summary>Tickets accepted per channel (plus <c>hotline-calls</c>, the call records).</summary>
    public required IReadOnlyDictionary<string, long> ByChannel { get; init; }

    /// <summary>Tickets accepted per kind.</summary>
    public required IReadOnlyDictionary<string, long> ByKind { get; init; }

    /// <summary>Contacts per local day and channel (tickets per channel, and hotline calls).</summary>
    public required IReadOnlyList<DailyVolume> Daily { get; init; }

    /// <summary>For each missed indicator (by key), the items behind it, capped at <see cref="KpiCalculator.MissedListLimit"/>.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<MissedItem>> Missed { get; init; }

    /// <summary>
    /// For each indicator with pending tickets (by key), those tickets and when they fall due, capped at
    /// <see cref="KpiCalculator.MissedListLimit"/>. They count against nothing yet.
    /// </summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<MissedItem>> Pending { get; init; }

    /// <summary>One indicator by key.</summary>
    public Indicator this[string key] => Indicators.Single(i => i.Key == key);
}
