using TicketGateway.Tickets.Storage;

namespace TicketGateway.TestSupport;

/// <summary>
/// Holds a store's writer inside a change until <see cref="Open"/> (or disposal), so that the changes a
/// test queues meanwhile wait together and the writer takes them in one go.
/// </summary>
internal sealed class WriterGate : IDisposable
{
    private readonly ManualResetEventSlim _gate = new();

    private WriterGate()
    {
    }

    /// <summary>The holding change: true once it was let go within 30 seconds.</summary>
    public Task<bool> Held { get; private set; } = Task.FromResult(false);

    /// <summary>Queues the holding change and returns once the writer runs it.</summary>
    public static async Task<WriterGate> HoldAsync(TicketDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var gate = new WriterGate();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.Held = database.WriteAsync((c, tx) =>
        {
            running.SetResult();
            return gate._gate.Wait(TimeSpan.FromSeconds(30));
        });
        await running.Task;
        return gate;
    }

    /// <summary>Lets the writer go on with what was queued.</summary>
    public void Open() => _gate.Set();

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
    }
}
