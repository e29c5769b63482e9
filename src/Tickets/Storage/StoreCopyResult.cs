namespace TicketGateway.Tickets.Storage;

/// <summary>What <see cref="StoreCopy"/> did: every table's counts, and whether the copy was committed.</summary>
/// <param name="Tables">Every copied table, in the order copied (parents first).</param>
/// <param name="Committed">False when a count differed: the target's transaction was rolled back and holds no rows.</param>
public sealed record StoreCopyResult(IReadOnlyList<TableCount> Tables, bool Committed)
{
    /// <summary>Rows copied, over all tables (the source's counts).</summary>
    public long Rows => Tables.Sum(t => t.Source);

    /// <summary>The tables whose counts differ.</summary>
    public IReadOnlyList<string> Different => [.. Tables.Where(t => !t.Equal).Select(t => t.Table)];
}
