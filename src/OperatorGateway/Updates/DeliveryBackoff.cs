namespace TicketGateway.OperatorGateway.Updates;

/// <summary>Exponential backoff with jitter between attempts of one update.</summary>
internal static class DeliveryBackoff
{
    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt: base x 2^(attempts-1), capped, +-20% jitter.</summary>
    public static TimeSpan After(int attempts, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var raw = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        // Jitter spreads the retries of many complaints that failed together (an operator outage).
        var jittered = raw * (0.8 + (0.4 * random));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, maxDelay.TotalMilliseconds));
    }
}
