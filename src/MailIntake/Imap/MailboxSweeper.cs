using MailKit;
using MailKit.Search;
using Microsoft.Extensions.Logging;
using TicketGateway.MailIntake.Intake;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Imap;

/// <summary>
/// One UID sweep of the intake folder: every mail not yet taken is fetched, parsed, stored with
/// its ticket change (one group-committed transaction per batch), then moved to the processed or
/// quarantine folder. Mail already taken but still in the folder (a crash between commit and
/// move) is only moved. The store, not the mailbox, says what was taken.
/// </summary>
internal sealed class MailboxSweeper(
    TicketDatabase database,
    MailReader reader,
    MailProcessor processor,
    ImapOptions imap,
    IntakeOptions intake,
    MailSpool spool,
    TimeProvider time,
    ILogger logger)
{
    public async Task<int> SweepAsync(IMailFolder inbox, IMailFolder processed, IMailFolder quarantine, CancellationToken cancellationToken)
    {
        var folder = inbox.FullName;
        var uidValidity = (long)inbox.UidValidity;
        await CheckUidValidityAsync(folder, uidValidity, cancellationToken);

        var all = await inbox.SearchAsync(SearchQuery.All, cancellationToken);
        if (all.Count == 0)
        {
            return 0;
        }

        var seen = database.Read(c => IntakeSql.SeenUids(c, folder, uidValidity, all.Min(u => (long)u.Id), all.Max(u => (long)u.Id)));
        var leftovers = all.Where(u => seen.ContainsKey(u.Id)).ToList();
        if (leftovers.Count > 0)
        {
            // Taken before a crash or a lost connection, not yet moved: move only.
            await MoveAsync(inbox, leftovers.Where(u => !seen[u.Id]).ToList(), processed, cancellationToken);
            await MoveAsync(inbox, leftovers.Where(u => seen[u.Id]).ToList(), quarantine, cancellationToken);
        }

        var fresh = all.Where(u => !seen.ContainsKey(u.Id)).OrderBy(u => u.Id).ToList();
        int taken = 0, changes = 0, held = 0;
        foreach (var chunk in fresh.Chunk(imap.FetchBatch))
        {
            var (ok, bad, changed) = await TakeAsync(inbox, uidValidity, chunk, cancellationToken);
            await MoveAsync(inbox, ok, processed, cancellationToken);
            await MoveAsync(inbox, bad, quarantine, cancellationToken);
            taken += ok.Count + bad.Count;
            changes += changed;
            held += bad.Count;
        }

        if (taken > 0)
        {
            Log.Swept(logger, taken, folder, changes, held);
        }

        return taken;
    }

    private async Task CheckUidValidityAsync(string folder, long uidValidity, CancellationToken cancellationToken)
    {
        var state = database.Read(c => IntakeSql.FolderState(c, folder));
        if (state?.UidValidity == uidValidity)
        {
            return;
        }

        if (state is { } old)
        {
            Log.UidValidityChanged(logger, folder, old.UidValidity, uidValidity);
        }

        await database.WriteAsync((c, tx) =>
        {
            IntakeSql.SetFolderState(c, tx, folder, uidValidity, 0, time.GetUtcNow());
            return 0;
        }, cancellationToken);
    }

    private async Task<(List<UniqueId> Ok, List<UniqueId> Bad, int Changes)> TakeAsync(IMailFolder inbox, long uidValidity, UniqueId[] chunk, CancellationToken cancellationToken)
    {
        var summaries = await inbox.FetchAsync(chunk, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken);
        var sizes = summaries.ToDictionary(s => s.UniqueId, s => (long)(s.Size ?? 0));
        var small = chunk.Where(u => sizes.GetValueOrDefault(u) <= intake.SpoolThreshold).ToList();
        var writes = new List<(UniqueId Uid, RawMail Raw, Task<ProcessedMail>? Write, string? Failure)>(chunk.Length);

        if (small.Count > 0 && inbox is MailKit.Net.Imap.ImapFolder imapFolder)
        {
            // One pipelined FETCH for the whole batch; each mail is parsed and queued for the writer as it arrives.
            await imapFolder.GetStreamsAsync(small, (_, _, uid, stream, _) =>
            {
                var bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
                writes.Add(Queue(inbox.FullName, uidValidity, uid, RawMail.InMemory(bytes)));
                return Task.CompletedTask;
            }, cancellationToken);
        }
        else
        {
            foreach (var uid in small)
            {
                using var stream = await inbox.GetStreamAsync(uid, cancellationToken);
                var bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
                writes.Add(Queue(inbox.FullName, uidValidity, uid, RawMail.InMemory(bytes)));
            }
        }

        foreach (var uid in chunk.Where(u => sizes.GetValueOrDefault(u) > intake.SpoolThreshold))
        {
            string path;
            using (var stream = await inbox.GetStreamAsync(uid, cancellationToken))
            {
                path = await spool.WriteAsync(stream, uidValidity, uid.Id, cancellationToken);
            }

            var raw = new RawMail(null, path, new FileInfo(path).Length);
            writes.Add(raw.Size > imap.MaxMessageSize
                ? (uid, raw, null, $"the mail is {raw.Size} bytes, over Mail:Imap:MaxMessageSize ({imap.MaxMessageSize})")
                : Queue(inbox.FullName, uidValidity, uid, raw));
        }

        var ok = new List<UniqueId>();
        var bad = new List<UniqueId>();
        var changes = 0;
        foreach (var (uid, raw, write, failure) in writes)
        {
            var reason = failure;
            if (write is not null)
            {
                try
                {
                    var result = await write;
                    changes += result.TicketId is null ? 0 : 1;
                    ok.Add(uid);
                    continue;
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // Whatever one mail does wrong (a refused ticket, a handler's error), it goes to quarantine; the others go on.
                    reason = ex.Message;
                }
            }

            if (await QuarantineAsync(new MailSource(inbox.FullName, uidValidity, uid.Id), raw, reason!, cancellationToken))
            {
                bad.Add(uid);
            }
        }

        return (ok, bad, changes);
    }

    private (UniqueId, RawMail, Task<ProcessedMail>?, string?) Queue(string folder, long uidValidity, UniqueId uid, RawMail raw)
    {
        InboundMail mail;
        try
        {
            mail = raw.Bytes is { } bytes ? reader.Read(bytes) : reader.ReadFile(raw.SpoolPath!);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Hostile or broken mail can make a parser throw anything; it must not stop the mailbox.
            return (uid, raw, null, ex.Message);
        }

        var source = new MailSource(folder, uidValidity, uid.Id);
        return (uid, raw, database.WriteAsync((c, tx) => processor.Process(c, tx, source, mail, raw)), null);
    }

    private async Task<bool> QuarantineAsync(MailSource source, RawMail raw, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await database.WriteAsync((c, tx) => processor.Quarantine(c, tx, source, raw, reason), cancellationToken);
            Log.Quarantined(logger, source.Uid, source.Folder, reason);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.QuarantineFailed(logger, source.Uid, source.Folder, ex);
            return false;
        }
    }

    private static async Task MoveAsync(IMailFolder inbox, List<UniqueId> uids, IMailFolder target, CancellationToken cancellationToken)
    {
        if (uids.Count > 0)
        {
            // Not transactional with the store, and the returned UIDs are not trusted: the store already knows these mails.
            await inbox.MoveToAsync(uids, target, cancellationToken);
        }
    }
}
