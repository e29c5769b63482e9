using TicketGateway.Tickets.Delivery;

namespace TicketGateway.Tickets.Tests.Unit.Delivery;

// The operator updates' former DeliveryBackoffTests, now of the one policy every delivery uses.
public sealed class BackoffPolicyTests
{
    private static readonly BackoffPolicy Policy = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData(1, 2_000)]
    [InlineData(2, 4_000)]
    [InlineData(5, 32_000)]
    public void Delay_NthFailureWithoutJitter_DoublesFromTheBase(int attempts, double expectedMs) =>
        Assert.Equal(expectedMs, Policy.Delay(attempts, random: 0.5).TotalMilliseconds, precision: 3);

    [Fact]
    public void Delay_ManyFailures_NeverExceedsTheMaximum() =>
        Assert.Equal(TimeSpan.FromMinutes(5), Policy.Delay(60, random: 1.0));

    [Fact]
    public void Delay_Jitter_StaysWithinTwentyPercent()
    {
        Assert.Equal(1_600, Policy.Delay(1, random: 0).TotalMilliseconds, precision: 3);
        Assert.Equal(2_400, Policy.Delay(1, random: 1).TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Delay_SeededRandom_SpreadsWithinBoundsOfEachAttempt()
    {
        var random = new Random(42);
        var seen = new HashSet<TimeSpan>();
        for (var i = 0; i < 200; i++)
        {
            var delay = Policy.Delay(3, random.NextDouble());
            Assert.InRange(delay, TimeSpan.FromMilliseconds(6_400), TimeSpan.FromMilliseconds(9_600));
            seen.Add(delay);
        }

        // Jitter, not a constant: a herd of failed items does not come back in step.
        Assert.True(seen.Count > 100, $"only {seen.Count} distinct delays");
    }

    [Fact]
    public void Delay_NearTheCap_JitterNeverGoesAboveTheMaximum()
    {
        // 2 s x 2^7 = 256 s: +20 % would be 307 s, past the 300 s cap.
        Assert.Equal(TimeSpan.FromMinutes(5), Policy.Delay(8, random: 1.0));
        Assert.Equal(204_800, Policy.Delay(8, random: 0).TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Delay_BaseEqualsMaximum_IsAFixedIntervalShortenedOnlyByJitter()
    {
        var fixedInterval = new BackoffPolicy(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.FromMinutes(1), fixedInterval.Delay(9, random: 1.0));
        Assert.Equal(48_000, fixedInterval.Delay(9, random: 0).TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Delay_ZeroOrNegativeAttempts_CountAsTheFirst() =>
        Assert.Equal(Policy.Delay(1, 0.5), Policy.Delay(0, 0.5));

    [Fact]
    public void NextAttempt_AfterSecondFailure_IsNowPlusTheSecondDelayRange()
    {
        var now = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var next = Policy.NextAttempt(now, 2);
        Assert.InRange(next, now + Policy.Delay(2, 0), now + Policy.Delay(2, 1));
    }
}
