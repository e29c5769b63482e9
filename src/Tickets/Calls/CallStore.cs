using TicketGateway.Tickets.Kpis;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Calls;

/// <summary>Imports call-detail files into the store and lists calls.</summary>
public sealed class CallStore(TicketDatabase database, TimeZoneInfo zone, TimeProvider time)
{
    private const int BatchSize = 5_000;

    /// <summary>
    /// Imports a file. Bad rows are reported and skipped; with <paramref name="strict"/> a file with
    /// any bad row imports nothing. Rows are written in batches; a batch already stored (after a crash
    /// mid-import) is skipped on the next run by the unique call key.
    /// </summary>
    /// <param name="path">The CDR file.</param>
    /// <param name="strict">Import nothing when any row is bad.</param>
    /// <param name="progress">Called with the share of the file read (0 to 1).</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public async Task<ImportResult> ImportAsync(string path, bool strict, Action<double>? progress, CancellationToken cancellationToken)
    {
        var rows = new List<CallRecord>();
        var errors = new List<CdrError>();
        await using (var stream = File.OpenRead(path))
        using (var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            var length = Math.Max(1, stream.Length);
            new CdrParser(zone).Parse(reader, (_, r) =>
            {
                rows.Add(r);
                if (rows.Count % 10_000 == 0)
                {
                    progress?.Invoke(0.5 * stream.Position / length);
                }
            }, errors.Add);
        }

        if (strict && errors.Count > 0)
        {
            return new ImportResult(rows.Count, 0, 0, errors, Committed: false);
        }

        var source = Path.GetFileName(path);
        long imported = 0;
        long linkedTickets = 0;
        for (var i = 0; i < rows.Count; i += BatchSize)
        {
            var batch = rows.GetRange(i, Math.Min(BatchSize, rows.Count - i));
            var (inserted, linked) = await database.WriteAsync((c, tx) =>
            {
                var now = time.GetUtcNow().ToDb();
                var n = 0;
                foreach (var r in batch)
                {
                    n += c.Execute(
                        """
                        INSERT INTO calls (call_key, started_at, answered_at, ended_at, caller, disposition, answered, source, imported_at)
                        VALUES (@key, @start, @answer, @end, @caller, @disposition, @answered, @source, @now)
                        ON CONFLICT (call_key) DO NOTHING
                        """,
                        tx,
                        ("@key", r.Key),
                        ("@start", r.StartedAt.ToDb()),
                        ("@answer", r.AnsweredAt.ToDb()),
                        ("@end", r.EndedAt.ToDb()),
                        ("@caller", r.Caller),
                        ("@disposition", r.Disposition),
                        ("@answered", r.Answered ? 1 : 0),
                        ("@source", source),
                        ("@now", now));
                }

                // Phone tickets recorded during these calls get their call, in the same transaction.
                return (n, CallLinks.LinkImported(c, tx, batch, time.GetUtcNow()));
            }, cancellationToken);
            imported += inserted;
            linkedTickets += linked;
            progress?.Invoke(0.5 + (0.5 * (i + batch.Count) / rows.Count));
        }

        return new ImportResult(rows.Count, imported, rows.Count - imported, errors, Committed: true) { LinkedTickets = linkedTickets };
    }

    /// <summary>The calls that started in a month, oldest first, with the tickets created for each.</summary>
    public IReadOnlyList<CallRecord> List(KpiMonth month)
    {
        ArgumentNullException.ThrowIfNull(month);
        return database.Read(c =>
        {
            var list = new List<CallRecord>();
            using (var cmd = c.Command(
                "SELECT call_key, started_at, answered_at, ended_at, caller, disposition FROM calls WHERE started_at >= @from AND started_at < @to ORDER BY started_at, id",
                null,
                ("@from", month.Start.ToDb()),
                ("@to", month.End.ToDb())))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    list.Add(new CallRecord(r.GetString(0), r.Instant(1), r.InstantOrNull(2), r.InstantOrNull(3), r.StringOrNull(4), r.GetString(5)));
                }
            }

            // One connection runs one command at a time (PostgreSQL): the links are read after the calls.
            var tickets = CallLinks.TicketsOf(c, month.Start, month.End);
            return tickets.Count == 0 ? list : [.. list.Select(call => tickets.TryGetValue(call.Key, out var ids) ? call with { TicketIds = ids } : call)];
        });
    }
}
