using MailKit;

namespace TicketGateway.MailIntake.Imap;

/// <summary>
/// How long the oldest mail in the intake folder has waited to be taken, as this node last saw it (its
/// server arrival time): zero once a sweep leaves the folder empty, growing while the mailbox is
/// unreachable with mail in it, and unknown on a node that does not lead the mailbox.
/// </summary>
public sealed class IntakeLag(TimeProvider time)
{
    private readonly Lock _lock = new();
    private bool _known;
    private DateTimeOffset? _oldest;

    /// <summary>Seconds the oldest waiting mail has waited (0 when none); null when this node does not poll the mailbox.</summary>
    public double? Seconds
    {
        get
        {
            lock (_lock)
            {
                return !_known ? null : _oldest is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0;
            }
        }
    }

    /// <summary>Before a sweep: the arrival of the first mail in the folder (IMAP keeps arrival order).</summary>
    internal async Task ObserveAsync(IMailFolder inbox, CancellationToken cancellationToken)
    {
        DateTimeOffset? oldest = null;
        if (inbox.Count > 0)
        {
            var first = await inbox.FetchAsync(0, 0, MessageSummaryItems.InternalDate, cancellationToken);
            oldest = first.Count > 0 ? first[0].InternalDate ?? time.GetUtcNow() : null;
        }

        Set(true, oldest);
    }

    /// <summary>A sweep found nothing left to take.</summary>
    internal void Drained() => Set(true, null);

    /// <summary>Another node polls the mailbox (or this one stopped).</summary>
    internal void Unknown() => Set(false, null);

    private void Set(bool known, DateTimeOffset? oldest)
    {
        lock (_lock)
        {
            (_known, _oldest) = (known, oldest);
        }
    }
}
