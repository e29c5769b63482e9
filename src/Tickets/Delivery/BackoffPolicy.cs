namespace TicketGateway.Tickets.Delivery;

/// <summary>
/// The one backoff of everything delivered or reconnected later (mail outbox, operator updates,
/// alert webhook, SMTP and IMAP reconnects): the wait after the n-th failed attempt is
/// <c>base x 2^(n-1)</c>, +-20 % jitter, never more than the maximum.
/// </summary>
/// <remarks>
/// A pure function of the attempt count rather than Polly's <c>DelayBackoffType.Exponential</c> with
/// <c>UseJitter</c>: the queues store the next attempt in their rows so retries survive restarts,
/// and Polly's jitter (decorrelated, stateful per pipeline run) cannot be recomputed from a stored
/// attempt count nor bounded per attempt.
/// </remarks>
/// <param name="BaseDelay">The wait after the first failure.</param>
/// <param name="MaxDelay">The longest wait; equal to <paramref name="BaseDelay"/> for a fixed interval.</param>
public sealed record BackoffPolicy(TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>The share by which a wait is spread either way.</summary>
    public const double Jitter = 0.2;

    /// <summary>
    /// The wait after the <paramref name="attempts"/>-th failed attempt, for <paramref name="random"/>
    /// in [0, 1]: 0 gives the shortest wait, 1 the longest.
    /// </summary>
    public TimeSpan Delay(int attempts, double random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var max = MaxDelay.TotalMilliseconds;
        var raw = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), max);
        // Jitter spreads the retries of many items that failed together (an outage), and of several
        // gateways or restarts, so they do not hammer a recovering peer in step.
        var jittered = raw * (1 - Jitter + (2 * Jitter * Math.Clamp(random, 0, 1)));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, max));
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt, jittered by <see cref="Random.Shared"/>.</summary>
    public TimeSpan Delay(int attempts) => Delay(attempts, Random.Shared.NextDouble());

    /// <summary>When to try again after the <paramref name="attempts"/>-th attempt failed at <paramref name="now"/>.</summary>
    public DateTimeOffset NextAttempt(DateTimeOffset now, int attempts) => now + Delay(attempts);
}
