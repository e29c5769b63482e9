using TicketGateway.Tickets.Delivery;

namespace TicketGateway.Tickets.Duty;

/// <summary>Wakes the alert worker before its next tick (an urge must not wait for the scan interval).</summary>
public sealed class AlertSignal : DeliverySignal, IDisposable
{
    /// <summary>Asks the worker to run now; several calls before it runs count as one.</summary>
    public void Wake() => Notify();

    /// <summary>Nothing to release (the signal holds no handle); kept because owners of an <see cref="AlertSignal"/> dispose it.</summary>
    public void Dispose()
    {
    }
}
