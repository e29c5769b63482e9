namespace TicketGateway.Tickets.Kpis;

/// <summary>The monthly indicator pack.</summary>
public sealed record KpiReport
{
    /// <summary>The month reported.</summary>
    public required KpiMonth Month { get; init; }

    /// <summary>The desk's time zone name.</summary>
    public required string TimeZone { get; init; }

    /// <summary>When the report was computed (open-past-due counts depend on it).</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

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

    /// <summary>One indicator by key.</summary>
    public Indicator this[string key] => Indicators.Single(i => i.Key == key);
}
