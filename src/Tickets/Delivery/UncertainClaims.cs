using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Delivery;

/// <summary>
/// One sender's claims whose commit failed for it: the store may have committed them all the same, its
/// answer lost (PostgreSQL stopped mid-commit), and the rows would then wait out the whole claim lease,
/// held by a node that never attempts them. <see cref="ClaimAsync{T}"/> remembers the rows of a claim that
/// failed; <see cref="ReleaseAsync"/>, at the sender's next round, gives back those this node holds.
/// </summary>
public sealed class UncertainClaims(DeliveryQueue queue, TicketDatabase database)
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _ids = [];

    /// <summary>How many rows are remembered (claims not known to have failed or succeeded).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ids.Count;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="claim"/> (claims of <paramref name="ids"/>) in one write; when it fails, the rows
    /// are remembered as possibly claimed and the error goes on to the caller.
    /// </summary>
    public async Task<T> ClaimAsync<T>(IReadOnlyCollection<long> ids, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, T> claim, CancellationToken cancellationToken)
    {
        try
        {
            return await database.WriteAsync(claim, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Remember(ids);
            throw;
        }
    }

    /// <summary>Remembers rows this node may hold by a claim it does not know the outcome of.</summary>
    public void Remember(IEnumerable<long> ids)
    {
        lock (_gate)
        {
            _ids.UnionWith(ids);
        }
    }

    /// <summary>
    /// Gives back the remembered rows this node holds (waiting again at once, the claim's attempt undone),
    /// and forgets them all; a row finished meanwhile, or taken over by another node, is left alone.
    /// Throws, remembering them still, while the store does not answer.
    /// </summary>
    /// <returns>How many rows were given back.</returns>
    public async Task<int> ReleaseAsync(CancellationToken cancellationToken)
    {
        long[] ids;
        lock (_gate)
        {
            if (_ids.Count == 0)
            {
                return 0;
            }

            ids = [.. _ids];
        }

        var released = await database.WriteAsync((c, tx) => ids.Count(id => queue.Unclaim(c, tx, id)), cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _ids.ExceptWith(ids);
        }

        return released;
    }
}
