namespace TicketGateway.Tickets.Storage;

/// <summary>The rows of one table in the source store and in the copy.</summary>
/// <param name="Table">The table's name.</param>
/// <param name="Source">Rows in the source, read in the copy's snapshot.</param>
/// <param name="Target">Rows in the target, counted inside the copy's transaction before it commits.</param>
public sealed record TableCount(string Table, long Source, long Target)
{
    /// <summary>True when both sides hold the same number of rows.</summary>
    public bool Equal => Source == Target;
}
