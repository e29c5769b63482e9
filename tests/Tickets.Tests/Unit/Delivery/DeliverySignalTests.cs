using TicketGateway.Tickets.Delivery;

namespace TicketGateway.Tickets.Tests.Unit.Delivery;

public sealed class DeliverySignalTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WaitAsync_NotifiedBeforeTheWait_ReturnsAtOnce()
    {
        var signal = new DeliverySignal();
        signal.Notify();

        // No lost wake-up: the notification waits for the worker.
        var wait = signal.WaitAsync(Long, CancellationToken.None);
        Assert.True(wait.IsCompleted);
        Assert.True(await wait);
    }

    [Fact]
    public async Task WaitAsync_NotifiedWhileWaiting_Wakes()
    {
        var signal = new DeliverySignal();
        var wait = signal.WaitAsync(Long, CancellationToken.None);
        Assert.False(wait.IsCompleted);

        signal.Notify();

        Assert.True(await wait.WaitAsync(Long));
    }

    [Fact]
    public async Task WaitAsync_SeveralNotifications_CoalesceIntoOneWakeUp()
    {
        var signal = new DeliverySignal();
        signal.Notify();
        signal.Notify();
        signal.Notify();

        Assert.True(await signal.WaitAsync(Long, CancellationToken.None));
        // The other two were the same wake-up: the next wait is not woken, it times out.
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_NoNotification_ReturnsFalseAtTheTimeout() =>
        Assert.False(await NewSignal().WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        var wait = new DeliverySignal().WaitAsync(Long, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task WaitAsync_WaitWithoutTimeoutKeptAcrossRounds_TakesTheNextNotification()
    {
        // The alert worker keeps one pending wait across rounds beside its timer.
        var signal = new DeliverySignal();
        var pending = signal.WaitAsync(CancellationToken.None);
        Assert.False(pending.IsCompleted);

        signal.Notify();

        await pending.WaitAsync(Long);
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    private static DeliverySignal NewSignal() => new();
}
