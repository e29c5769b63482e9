namespace TicketGateway.Tickets.Calls;

/// <summary>What an import did.</summary>
/// <param name="Rows">Good rows read.</param>
/// <param name="Imported">Calls new to the store.</param>
/// <param name="Duplicates">Calls already in the store (or twice in the file).</param>
/// <param name="Errors">Bad rows, with line numbers.</param>
/// <param name="Committed">False when <c>--strict</c> refused the whole file.</param>
public sealed record ImportResult(long Rows, long Imported, long Duplicates, IReadOnlyList<CdrError> Errors, bool Committed)
{
    /// <summary>Phone tickets linked to one of the file's calls (see <see cref="CallLinks"/>).</summary>
    public long LinkedTickets { get; init; }
}
