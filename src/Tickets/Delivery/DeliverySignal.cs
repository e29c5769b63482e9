using System.Threading.Channels;

namespace TicketGateway.Tickets.Delivery;

/// <summary>
/// The one wake-up signal of the delivery workers: whoever queues something calls <see cref="Notify"/>
/// and the worker, waiting in <see cref="WaitAsync(TimeSpan, CancellationToken)"/>, runs at once instead
/// of at its next poll. Notifications coalesce: several before the worker waits wake it once. A
/// notification before the wait is kept, so none is lost. The store stays the truth; this only saves a wait.
/// </summary>
/// <remarks>Not sealed: a worker's own signal derives from it (e.g. <see cref="Duty.AlertSignal"/>) so each is its own service.</remarks>
public class DeliverySignal
{
    // One slot: a full channel already holds a wake-up, and one is enough.
    private readonly Channel<bool> _channel = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks the worker to run now; several calls before it runs count as one.</summary>
    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a notification or the timeout, whichever comes first; true when notified.</summary>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for a notification only.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_channel.Reader.TryRead(out _))
        {
            return true;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: time for the periodic look at the store.
            return false;
        }
    }

    /// <summary>Waits for a notification.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAsync(cancellationToken).AsTask();
}
