namespace TicketGateway.Tickets.Kpis;

/// <summary>
/// One monthly indicator: numerator over denominator against the plan's target. A zero
/// denominator has no rate (and is neither met nor missed) instead of an invented 0% or 100%.
/// Tickets not due yet (<see cref="Pending"/>) are in neither the numerator nor the denominator.
/// </summary>
/// <param name="Key">The stable JSON key, e.g. <c>complaint_reply_rate</c>.</param>
/// <param name="Title">The plan's name, Chinese and English.</param>
/// <param name="Numerator">What counts.</param>
/// <param name="Denominator">What it counts against.</param>
/// <param name="Target">The target rate in percent.</param>
/// <param name="AtMost">True when the rate must stay at or below the target (repeat complaints).</param>
/// <param name="Formula">The formula in words.</param>
public sealed record Indicator(string Key, string Title, long Numerator, long Denominator, decimal Target, bool AtMost, string Formula)
{
    /// <summary>Tickets received but not due yet for this indicator, left out of both sides of the rate.</summary>
    public long Pending { get; init; }

    /// <summary>The rate in percent, or null when nothing was counted.</summary>
    public decimal? Rate => Denominator == 0 ? null : Math.Round(100m * Numerator / Denominator, 2);

    /// <summary>Whether the target is met; null with a zero denominator.</summary>
    public bool? Met => Denominator == 0 ? null
        : AtMost ? 100m * Numerator <= Target * Denominator
        : 100m * Numerator >= Target * Denominator;

    /// <summary>The target as the plan writes it, e.g. <c>&gt;= 95%</c>.</summary>
    public string TargetText => (AtMost ? "<= " : ">= ") + Target.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";

    /// <summary>The rate as text, or why there is none.</summary>
    public string RateText => Rate is { } r ? r.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "%"
        : Pending > 0 ? $"n/a (nothing due yet, {Pending} pending)" : "n/a (zero denominator)";
}
