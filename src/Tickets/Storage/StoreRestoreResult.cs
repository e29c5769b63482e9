namespace TicketGateway.Tickets.Storage;

/// <summary>What <see cref="StoreRestore"/> did.</summary>
/// <param name="Target">The restored store as users name it.</param>
/// <param name="Tables">Every table: rows in the backup (<see cref="TableCount.Source"/>) and in the restored store.</param>
/// <param name="MovedAside">Where the old store went (<c>--force</c>), or null when there was none.</param>
public sealed record StoreRestoreResult(string Target, IReadOnlyList<TableCount> Tables, string? MovedAside)
{
    /// <summary>The tables whose counts differ from the backup's.</summary>
    public IReadOnlyList<string> Different => [.. Tables.Where(t => !t.Equal).Select(t => t.Table)];
}
