using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Retention;

/// <summary>What one purge removed.</summary>
/// <param name="Mails">Mails whose raw bytes were purged (processed mail past <c>RawMailDays</c>).</param>
/// <param name="QuarantineEntries">Discarded quarantine entries removed (past <c>QuarantineDays</c>), their raw mail with them.</param>
/// <param name="SpoolFiles">Spool files deleted, those of the purged mails and strays past <c>RawMailDays</c> that no mail names.</param>
/// <param name="Bytes">Raw bytes purged, inline and in spool files.</param>
public sealed record PurgeResult(int Mails, int QuarantineEntries, int SpoolFiles, long Bytes);

/// <summary>
/// Purges raw customer mail past its retention: the <c>raw</c> and <c>raw_path</c> of processed mail older
/// than <c>Retention:RawMailDays</c>, discarded quarantine entries older than <c>Retention:QuarantineDays</c>,
/// and the spool files of both. Held quarantine keeps its raw mail (an operator may still retry it). The rest
/// of each mail's row stays (sender, Message-ID and content hash: threading and duplicate detection go on).
/// </summary>
public sealed class RawMailPurge(TicketDatabase store, RetentionOptions options, string spoolFolder, TimeProvider time)
{
    // Rows per transaction: a long purge never holds the write lock for long.
    private const int Chunk = 500;

    /// <summary>Runs one purge now.</summary>
    public async Task<PurgeResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (mails, entries, files, bytes) = (0, 0, 0, 0L);
        if (options.QuarantineDays > 0)
        {
            var cutoff = now.AddDays(-options.QuarantineDays).ToDb();
            while (await store.WriteAsync((c, tx) => PurgeDiscarded(c, tx, cutoff), cancellationToken) is { Count: > 0 } purged)
            {
                entries += purged.Count;
                (files, bytes) = Delete(purged, files, bytes);
            }
        }

        if (options.RawMailDays > 0)
        {
            var cutoff = now.AddDays(-options.RawMailDays);
            while (await store.WriteAsync((c, tx) => PurgeProcessed(c, tx, cutoff.ToDb()), cancellationToken) is { Count: > 0 } purged)
            {
                mails += purged.Count;
                (files, bytes) = Delete(purged, files, bytes);
            }

            (files, bytes) = DeleteStrays(cutoff, files, bytes);
        }

        return new PurgeResult(mails, entries, files, bytes);
    }

    private static List<Purged> PurgeProcessed(DbConnection c, DbTransaction tx, long cutoff)
    {
        var purged = Select(c, tx, $"""
            SELECT i.id, i.raw_path, i.size, i.raw IS NOT NULL FROM mail_inbound i
            WHERE i.received_at < @cutoff AND (i.raw IS NOT NULL OR i.raw_path IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM mail_quarantine q WHERE q.inbound_id = i.id AND q.status IN ('held', 'discarded'))
            ORDER BY i.id LIMIT {Chunk}
            """, cutoff);
        Clear(c, tx, purged);
        return purged;
    }

    private static List<Purged> PurgeDiscarded(DbConnection c, DbTransaction tx, long cutoff)
    {
        var purged = Select(c, tx, $"""
            SELECT q.id, i.raw_path, i.size, i.raw IS NOT NULL FROM mail_quarantine q JOIN mail_inbound i ON i.id = q.inbound_id
            WHERE q.status = 'discarded' AND q.resolved_at < @cutoff
            ORDER BY q.id LIMIT {Chunk}
            """, cutoff);
        if (purged.Count > 0)
        {
            var ids = string.Join(", ", purged.Select(p => p.Id));
            c.Execute($"UPDATE mail_inbound SET raw = NULL, raw_path = NULL WHERE id IN (SELECT inbound_id FROM mail_quarantine WHERE id IN ({ids}))", tx);
            c.Execute($"DELETE FROM mail_quarantine WHERE id IN ({ids})", tx);
        }

        return purged;
    }

    private static List<Purged> Select(DbConnection c, DbTransaction tx, string sql, long cutoff)
    {
        var rows = new List<Purged>();
        using var command = c.Command(sql, tx, ("@cutoff", cutoff));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new Purged(reader.GetInt64(0), reader.StringOrNull(1), reader.GetInt64(2), Convert.ToBoolean(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static void Clear(DbConnection c, DbTransaction tx, List<Purged> purged)
    {
        if (purged.Count > 0)
        {
            c.Execute($"UPDATE mail_inbound SET raw = NULL, raw_path = NULL WHERE id IN ({string.Join(", ", purged.Select(p => p.Id))})", tx);
        }
    }

    // After the commit: a crash in between leaves files no mail names, which the stray sweep deletes later.
    private static (int Files, long Bytes) Delete(List<Purged> purged, int files, long bytes)
    {
        foreach (var p in purged)
        {
            bytes += p.Inline || p.Path is not null ? p.Size : 0;
            if (p.Path is not null && File.Exists(p.Path))
            {
                File.Delete(p.Path);
                files++;
            }
        }

        return (files, bytes);
    }

    // Spool files past the limit that no mail names: written before a commit that never came.
    private (int Files, long Bytes) DeleteStrays(DateTimeOffset cutoff, int files, long bytes)
    {
        if (!Directory.Exists(spoolFolder))
        {
            return (files, bytes);
        }

        var old = new DirectoryInfo(spoolFolder).EnumerateFiles().Where(f => f.LastWriteTimeUtc < cutoff.UtcDateTime).ToList();
        if (old.Count == 0)
        {
            return (files, bytes);
        }

        var named = store.Read(c =>
        {
            var paths = new HashSet<string>(StringComparer.Ordinal);
            using var command = c.Command("SELECT raw_path FROM mail_inbound WHERE raw_path IS NOT NULL");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                paths.Add(reader.GetString(0));
            }

            return paths;
        });
        foreach (var file in old.Where(f => !named.Contains(f.FullName)))
        {
            bytes += file.Length;
            file.Delete();
            files++;
        }

        return (files, bytes);
    }

    private sealed record Purged(long Id, string? Path, long Size, bool Inline);
}
