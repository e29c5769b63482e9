using Microsoft.Extensions.Logging;
using TicketGateway.MailIntake.Retention;
using TicketGateway.MailIntake.Tests.Support;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Tests.Functional.Retention;

/// <summary>
/// Issue 14, must-show 4: on a fake clock, the daily purge takes the raw bytes (and spool files) of processed
/// mail past <c>Retention:RawMailDays</c> and discarded quarantine past <c>Retention:QuarantineDays</c>; young
/// mail, held quarantine, tickets, messages and attachments stay, and each purge is counted in the log.
/// </summary>
public abstract class RetentionWorkerTests(StoreKind engine)
{
    [Fact]
    public async Task DailyPurge_OnAFakeClock_PurgesOldRawMailOnlyAndKeepsEveryTicket()
    {
        await using var store = new IntakeStore(engine);
        var start = store.Clock.GetUtcNow();
        var oldInline = await store.TakeAsync(Mail("old-inline", "old.a@example.cn", withAttachment: true));
        var oldSpooled = await store.TakeSpooledAsync(Mail("old-spooled", "old.b@example.cn"));
        var oldSpoolPath = RawPath(store, oldSpooled.InboundId)!;
        var held = await store.QuarantineAsync(Fixtures.Raw("malformed-charset.eml"), "unknown charset");
        var discarded = await store.QuarantineAsync(Fixtures.Raw("no-sender.eml"), "no sender");
        await store.Quarantine.DiscardAsync(discarded, "cli");
        // A spool file no mail names (its commit never came), as old as the old mail.
        var stray = Path.Combine(store.SpoolFolder, "7-999-stray.eml");
        File.WriteAllText(stray, "From: x@example.cn\r\n\r\nlost");
        File.SetLastWriteTimeUtc(stray, start.UtcDateTime);

        store.Clock.Advance(TimeSpan.FromDays(100));
        var young = await store.TakeAsync(Mail("young-inline", "young.a@example.cn", withAttachment: true));
        var youngSpooled = await store.TakeSpooledAsync(Mail("young-spooled", "young.b@example.cn"));
        var youngSpoolPath = RawPath(store, youngSpooled.InboundId)!;
        var before = Counts(store);

        var log = new LogCollector();
        var options = new RetentionOptions { RawMailDays = 180, QuarantineDays = 120 };
        var purge = new RawMailPurge(store.Tickets.Database, options, store.SpoolFolder, store.Clock);
        var worker = new RetentionWorker(purge, options, store.Clock, log.CreateLogger("retention"));
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // At start (day 100) nothing is old enough.
            await Eventually.WaitAsync(() => log.Lines.Count, n => n == 1, TimeSpan.FromSeconds(10), "the purge at start");
            Assert.Contains("purged the raw bytes of 0 processed mail(s) older than 180 days and 0 discarded quarantine entries", log.Lines[0], StringComparison.Ordinal);

            // Then once a day: the mail of day 0 goes on day 181 (over 180 days), the quarantine discarded on day 0 on day 121.
            for (var day = 101; day <= 182; day++)
            {
                store.Clock.Advance(TimeSpan.FromDays(1));
                var expected = day - 99;
                await Eventually.WaitAsync(() => log.Lines.Count, n => n == expected, TimeSpan.FromSeconds(10), $"the purge of day {day}");
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        // Line 0 is the start (day 100), line k the run of day 100 + k.
        var runs = log.Lines.Select(Counted).ToList();
        Assert.Equal([181], runs.Select((r, k) => (r, Day: 100 + k)).Where(x => x.r.Mails > 0).Select(x => x.Day));
        Assert.Equal([121], runs.Select((r, k) => (r, Day: 100 + k)).Where(x => x.r.Entries > 0).Select(x => x.Day));
        Assert.Equal((2, 1), (runs.Sum(r => r.Mails), runs.Sum(r => r.Entries)));
        // Day 181: the old spooled mail's file and the stray.
        Assert.Contains("2 spool file(s) deleted", log.Lines[81], StringComparison.Ordinal);
        Assert.Equal(before, Counts(store));
        Assert.Equal((0L, 0L), RawKept(store, oldInline.InboundId));
        Assert.Equal((0L, 0L), RawKept(store, oldSpooled.InboundId));
        Assert.False(File.Exists(oldSpoolPath));
        Assert.False(File.Exists(stray));
        Assert.Equal((1L, 0L), RawKept(store, young.InboundId));
        Assert.Equal((0L, 1L), RawKept(store, youngSpooled.InboundId));
        Assert.True(File.Exists(youngSpoolPath));
        // Held quarantine keeps its raw mail for a retry; the discarded entry is gone.
        Assert.Equal(Fixtures.Raw("malformed-charset.eml"), store.Quarantine.Raw(held));
        Assert.DoesNotContain(store.Quarantine.List(all: true), q => q.Id == discarded);
        Assert.Contains(store.Quarantine.List(), q => q.Id == held);
        // The tickets of the purged mail read as before: messages and attachments are theirs, not the raw mail's.
        var ticket = store.Get(oldInline.TicketId!.Value);
        Assert.Contains("old-inline", ticket.Messages[0].Text, StringComparison.Ordinal);
    }

    private static (int Mails, int Entries) Counted(string line)
    {
        var m = System.Text.RegularExpressions.Regex.Match(line, @"raw bytes of (\d+) processed mail\(s\) older than 180 days and (\d+) discarded quarantine entries older than 120 days");
        Assert.True(m.Success, line);
        return (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static (long Tickets, long Messages, long Attachments, long Mails) Counts(IntakeStore store) => (
        store.Scalar<long>("SELECT COUNT(*) FROM tickets"),
        store.Scalar<long>("SELECT COUNT(*) FROM messages"),
        store.Scalar<long>("SELECT COUNT(*) FROM attachments WHERE content IS NOT NULL"),
        store.Scalar<long>("SELECT COUNT(*) FROM mail_inbound"));

    private static (long Inline, long Spooled) RawKept(IntakeStore store, long inboundId) => (
        store.Scalar<long>($"SELECT COUNT(*) FROM mail_inbound WHERE id = {inboundId} AND raw IS NOT NULL"),
        store.Scalar<long>($"SELECT COUNT(*) FROM mail_inbound WHERE id = {inboundId} AND raw_path IS NOT NULL"));

    private static string? RawPath(IntakeStore store, long inboundId) =>
        store.Tickets.Database.Read(c => c.Scalar($"SELECT raw_path FROM mail_inbound WHERE id = {inboundId}") as string);

    private static byte[] Mail(string tag, string from, bool withAttachment = false) => System.Text.Encoding.UTF8.GetBytes(
        $"From: {from}\r\nTo: support@example.com\r\nSubject: 咨询 {tag}\r\nMessage-ID: <{tag}@example.cn>\r\nMIME-Version: 1.0\r\n"
        + (withAttachment
            ? "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + $"问题 {tag}\r\n--b\r\nContent-Type: text/plain; name=\"bill.txt\"\r\nContent-Disposition: attachment; filename=\"bill.txt\"\r\n\r\n10.00 元\r\n--b--\r\n"
            : $"Content-Type: text/plain; charset=utf-8\r\n\r\n问题 {tag}\r\n"));
}

public sealed class RetentionWorkerTestsOnSqlite() : RetentionWorkerTests(StoreKind.Sqlite);

public sealed class RetentionWorkerTestsOnPostgres() : RetentionWorkerTests(StoreKind.Postgres);
