using TicketGateway.OperatorGateway.Updates;

namespace TicketGateway.OperatorGateway.Tests.Unit;

public sealed class DeliveryBackoffTests
{
    [Theory]
    [InlineData(1, 2_000)]
    [InlineData(2, 4_000)]
    [InlineData(5, 32_000)]
    public void After_NthFailureWithoutJitter_DoublesFromTheBase(int attempts, double expectedMs) =>
        Assert.Equal(expectedMs, DeliveryBackoff.After(attempts, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), random: 0.5).TotalMilliseconds, precision: 3);

    [Fact]
    public void After_ManyFailures_NeverExceedsTheMaximum() =>
        Assert.Equal(TimeSpan.FromMinutes(5), DeliveryBackoff.After(60, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), random: 1.0));

    [Fact]
    public void After_Jitter_StaysWithinTwentyPercent()
    {
        Assert.Equal(1_600, DeliveryBackoff.After(1, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), random: 0).TotalMilliseconds, precision: 3);
        Assert.Equal(2_400, DeliveryBackoff.After(1, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), random: 1).TotalMilliseconds, precision: 3);
    }
}
