namespace TicketGateway.Tickets.Duty;

/// <summary>Wakes the alert worker before its next tick (an urge must not wait for the scan interval).</summary>
public sealed class AlertSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    /// <summary>Asks the worker to run now; several calls before it runs count as one.</summary>
    public void Wake()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the worker runs once for all of them.
        }
    }

    /// <summary>Completes when woken.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _semaphore.WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _semaphore.Dispose();
}
