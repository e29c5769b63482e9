using MailKit;
using MailKit.Search;
using System.Data.Common;
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
/// move) is only moved. The store, not the mailbox, says what was taken. Every write is fenced
/// with the leader lease's token: a node that no longer leads commits nothing.
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
    private static readonly SavepointChain Mails = new("mail");

    public async Task<int> SweepAsync(IMailFolder inbox, IMailFolder processed, IMailFolder quarantine, long leaseToken, CancellationToken cancellationToken)
    {
        _token = leaseToken;
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
        // Pipelined: while the writer commits one batch, the next is fetched and parsed, then queued to
        // the writer at once, so its commit runs while the previous batch is moved. The IMAP connection
        // is only ever used from this flow, one command at a time.
        // A batch's mails move only after its commit: a crash in between leaves them to be moved by the next sweep.
        async Task CompleteAsync((List<Fetched> Mails, Task<List<Outcome?>> Write) batch)
        {
            var (ok, bad, changed) = await FinishAsync(batch.Mails, batch.Write, cancellationToken);
            await MoveAsync(inbox, ok, processed, cancellationToken);
            await MoveAsync(inbox, bad, quarantine, cancellationToken);
            (taken, changes, held) = (taken + ok.Count + bad.Count, changes + changed, held + bad.Count);
        }

        (List<Fetched> Mails, Task<List<Outcome?>> Write)? pending = null;
        foreach (var chunk in fresh.Chunk(imap.FetchBatch))
        {
            var mails = await FetchAsync(inbox, uidValidity, chunk, cancellationToken);
            var next = (mails, WriteAsync(mails, cancellationToken));
            if (pending is { } previous)
            {
                await CompleteAsync(previous);
            }

            pending = next;
        }

        if (pending is { } last)
        {
            await CompleteAsync(last);
        }

        if (taken > 0)
        {
            Log.Swept(logger, taken, folder, changes, held);
        }

        return taken;
    }

    private long _token;

    /// <summary>Refuses the change unless this node still holds the mail-intake lease with the sweep's token.</summary>
    private void Fence(DbConnection c, DbTransaction tx)
    {
        if (!Leases.Fence(c, tx, MailboxLeadership.LeaseName, NodeIdentity.Id, _token))
        {
            throw new LeaseLostException($"Node {NodeIdentity.Id} no longer leads mail intake (lease token {_token}); the new leader takes this mail.");
        }
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
            Fence(c, tx);
            IntakeSql.SetFolderState(c, tx, folder, uidValidity, 0, time.GetUtcNow());
            return 0;
        }, cancellationToken);
    }

    private async Task<List<Fetched>> FetchAsync(IMailFolder inbox, long uidValidity, UniqueId[] chunk, CancellationToken cancellationToken)
    {
        var folder = inbox.FullName;
        // INTERNALDATE is when the mail reached the mailbox: a ticket is accepted then, not when we got round to it.
        var summaries = await inbox.FetchAsync(chunk, MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.InternalDate, cancellationToken);
        var sizes = summaries.ToDictionary(s => s.UniqueId, s => (long)(s.Size ?? 0));
        var arrived = summaries.ToDictionary(s => s.UniqueId, s => s.InternalDate);
        MailSource Source(UniqueId uid) => new(folder, uidValidity, uid.Id, arrived.GetValueOrDefault(uid));
        // Big mail (or mail over the size limit, whose raw bytes are kept all the same) goes through a spool file.
        var spoolOver = Math.Min(intake.SpoolThreshold, imap.MaxMessageSize);
        var small = chunk.Where(u => sizes.GetValueOrDefault(u) <= spoolOver).ToList();
        var mails = new List<Fetched>(chunk.Length);

        if (small.Count > 0 && inbox is MailKit.Net.Imap.ImapFolder imapFolder)
        {
            // One pipelined FETCH for the whole batch; each mail is parsed as it arrives.
            await imapFolder.GetStreamsAsync(small, (_, _, uid, stream, _) =>
            {
                var bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
                mails.Add(Parse(Source(uid), RawMail.InMemory(bytes)));
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
                mails.Add(Parse(Source(uid), RawMail.InMemory(bytes)));
            }
        }

        foreach (var uid in chunk.Where(u => sizes.GetValueOrDefault(u) > spoolOver))
        {
            string path;
            using (var stream = await inbox.GetStreamAsync(uid, cancellationToken))
            {
                path = await spool.WriteAsync(stream, uidValidity, uid.Id, cancellationToken);
            }

            var raw = new RawMail(null, path, new FileInfo(path).Length);
            var source = Source(uid);
            mails.Add(raw.Size > imap.MaxMessageSize
                ? new Fetched(source, raw, null, $"the mail is {raw.Size} bytes, over Mail:Imap:MaxMessageSize ({imap.MaxMessageSize})")
                : Parse(source, raw));
        }

        return mails;
    }

    // The whole batch in one change, so it costs one commit (one fsync), each mail in its own
    // savepoint so that one mail's failure rolls back only that mail; alone in its transaction, so that
    // each mail's savepoint is the outermost one and SQLite lets go of its pages at each release.
    private Task<List<Outcome?>> WriteAsync(List<Fetched> mails, CancellationToken cancellationToken) =>
        database.WriteAloneAsync(
            (c, tx) =>
            {
                Fence(c, tx);
                var results = ProcessEach(c, tx, mails);
                if (mails.Count > 0)
                {
                    var highest = mails.MaxBy(m => m.Source.Uid)!.Source;
                    IntakeSql.AdvanceLastUid(c, tx, highest, time.GetUtcNow());
                }

                return results;
            },
            cancellationToken);

    private async Task<(List<UniqueId> Ok, List<UniqueId> Bad, int Changes)> FinishAsync(List<Fetched> mails, Task<List<Outcome?>> write, CancellationToken cancellationToken)
    {
        var results = await write;
        var ok = new List<UniqueId>();
        var bad = new List<UniqueId>();
        var failed = new List<(Fetched Mail, string Reason)>();
        var changes = 0;
        for (var i = 0; i < mails.Count; i++)
        {
            if (results[i] is { Processed: { } processed })
            {
                changes += processed.TicketId is null ? 0 : 1;
                Log.MailTaken(logger, processed.Source.Uid, processed.Source.Folder, processed.Mail?.FromAddress, processed.Outcome, processed.TicketId, processed.Rule);
                ok.Add(new UniqueId((uint)mails[i].Source.Uid));
            }
            else
            {
                failed.Add((mails[i], results[i]?.Failure ?? mails[i].Failure!));
            }
        }

        if (failed.Count > 0)
        {
            bad.AddRange(await QuarantineAsync(failed, cancellationToken));
        }

        return (ok, bad, changes);
    }

    private Fetched Parse(MailSource source, RawMail raw)
    {
        try
        {
            return new Fetched(source, raw, raw.Bytes is { } bytes ? reader.Read(bytes) : reader.ReadFile(raw.SpoolPath!), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Hostile or broken mail can make a parser throw anything; it must not stop the mailbox.
            return new Fetched(source, raw, null, ex.Message, MailReader.ReadHeaders(raw));
        }
    }

    // Each mail in its own savepoint (Mails), so that one mail's failure rolls back only that mail.
    private List<Outcome?> ProcessEach(DbConnection c, DbTransaction tx, List<Fetched> mails)
    {
        var results = new List<Outcome?>(mails.Count);
        var set = false;
        var current = -1;
        foreach (var m in mails)
        {
            if (m.Mail is null)
            {
                results.Add(null);
                continue;
            }

            if (!set)
            {
                Mails.Next(c, tx, afterAnother: false);
            }
            else if (Mails.NextAfterAnother(c, tx) is { } previous)
            {
                // A write the previous mail held back failed: that mail rolled back alone, like one that threw.
                results[current] = new Outcome(null, previous.Message);
            }

            set = true;
            current = results.Count;
            try
            {
                results.Add(new Outcome(processor.Process(c, tx, m.Source, m.Mail, m.Raw), null));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Whatever one mail does wrong (a refused ticket, a handler's error), it goes to quarantine; the others go on.
                Mails.RollBack(c, tx);
                results.Add(new Outcome(null, ex.Message));
            }
        }

        // The batch's own statements (the folder's last UID) follow in the change's transaction.
        if (set && Mails.Finish(c, tx, release: true) is { } last)
        {
            results[current] = new Outcome(null, last.Message);
        }

        return results;
    }

    private async Task<List<UniqueId>> QuarantineAsync(List<(Fetched Mail, string Reason)> failed, CancellationToken cancellationToken)
    {
        var held = new List<UniqueId>();
        foreach (var (mail, reason) in failed)
        {
            try
            {
                await database.WriteAsync(
                    (c, tx) =>
                    {
                        Fence(c, tx);
                        return processor.Quarantine(c, tx, mail.Source, mail.Raw, reason, mail.Mail ?? mail.Headers);
                    },
                    cancellationToken);
                Log.Quarantined(logger, mail.Source.Uid, mail.Source.Folder, reason);
                held.Add(new UniqueId((uint)mail.Source.Uid));
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not LeaseLostException)
            {
                Log.QuarantineFailed(logger, mail.Source.Uid, mail.Source.Folder, ex);
            }
        }

        return held;
    }

    private static async Task MoveAsync(IMailFolder inbox, List<UniqueId> uids, IMailFolder target, CancellationToken cancellationToken)
    {
        if (uids.Count > 0)
        {
            // Not transactional with the store, and the returned UIDs are not trusted: the store already knows these mails.
            await inbox.MoveToAsync(uids, target, cancellationToken);
        }
    }

    /// <summary>A fetched mail: parsed, or the reason it could not be, with what its headers say (<paramref name="Headers"/>) for the quarantine.</summary>
    private sealed record Fetched(MailSource Source, RawMail Raw, InboundMail? Mail, string? Failure, InboundMail? Headers = null);

    private sealed record Outcome(ProcessedMail? Processed, string? Failure);
}

/// <summary>A write of a node that no longer leads mail intake: refused, the new leader takes the mail.</summary>
internal sealed class LeaseLostException(string message) : Exception(message);
