using System.Globalization;
using System.Text.Json;
using MimeKit;
using TicketGateway.MailIntake.Tests.Support;

namespace TicketGateway.MailIntake.Tests.Functional.EndToEnd;

/// <summary>
/// Issue 12, must-show 1 and 5, through Dovecot, <c>ticketgw serve</c> and the SMTP sink: a customer's
/// file and inline image listed, saved and announced to the agents; an agent's reply carrying files;
/// a note never sent; a merged ticket's later mail landing in the target.
/// </summary>
public abstract class AttachmentsAndMergeTests(EmailChannelFixture servers)
{
    private const string Support = EmailChannelFixture.Support;

    // Bytes that survive no accidental text conversion: every byte value, in a fixed shuffled order.
    private static readonly byte[] Pdf = [.. Enumerable.Range(0, 3000).Select(i => (byte)(i * 37 % 256))];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Enumerable.Range(0, 500).Select(i => (byte)(255 - i % 256))];

    [Fact]
    public async Task CustomerMailWithFileAndInlineImage_ShowListsBoth_SaveWritesTheBytes_NotificationListsThem()
    {
        const string zhao = "zhaoliu@example.cn";
        var builder = new BodyBuilder { TextBody = "发票和截图见附件。", HtmlBody = "<p>截图：<img src=\"cid:shot@example.cn\"></p>" };
        var image = builder.LinkedResources.Add("screen.png", Png, new ContentType("image", "png"));
        image.ContentId = "shot@example.cn";
        var pdf = builder.Attachments.Add("发票.pdf", Pdf, new ContentType("application", "pdf"));
        // A hostile name: directories and a leading dot must never reach the file system.
        pdf.ContentDisposition!.FileName = "../../.发票.pdf";
        var mail = new MimeMessage { Subject = "咨询：发票", MessageId = "files-1@example.cn", Body = builder.ToMessageBody() };
        mail.From.Add(new MailboxAddress("赵六", zhao));
        mail.To.Add(MailboxAddress.Parse(Support));
        await servers.DeliverAndWaitAsync(Raw(mail));

        using var ticket = await servers.TicketOfAsync(zhao);
        var reference = ticket.RootElement.GetProperty("ref").GetString()!;
        var files = ticket.RootElement.GetProperty("messages")[0].GetProperty("attachments").EnumerateArray().ToList();
        Assert.Equal(2, files.Count);
        var listedPdf = files.Single(f => f.GetProperty("contentType").GetString() == "application/pdf");
        var listedPng = files.Single(f => f.GetProperty("contentType").GetString() == "image/png");
        Assert.Equal(("../../.发票.pdf", (long)Pdf.Length, false), (listedPdf.GetProperty("name").GetString(), listedPdf.GetProperty("size").GetInt64(), listedPdf.GetProperty("inline").GetBoolean()));
        Assert.Equal(("screen.png", (long)Png.Length, true), (listedPng.GetProperty("name").GetString(), listedPng.GetProperty("size").GetInt64(), listedPng.GetProperty("inline").GetBoolean()));
        Assert.All(files, f => Assert.Equal(JsonValueKind.Null, f.GetProperty("dropped").ValueKind));
        Assert.All(files, f => Assert.Equal(["id", "name", "contentType", "size", "inline", "dropped"], f.EnumerateObject().Select(p => p.Name)));

        // Saved without --out: the name made safe, in the current folder; a second save refuses to overwrite.
        var pdfId = listedPdf.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var save = await servers.CliAsync("tickets", "attachment", "save", reference, pdfId);
        Assert.True(save.ExitCode == 0, save.Stderr);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(Path.Combine(servers.WorkDir, "发票.pdf")));
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(servers.WorkDir, "..", "..", ".发票.pdf"))));
        var again = await servers.CliAsync("tickets", "attachment", "save", reference, pdfId);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists; give --force", again.Stderr, StringComparison.Ordinal);
        var forced = await servers.CliAsync("tickets", "attachment", "save", reference, pdfId, "--force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        var pngOut = Path.Combine(servers.WorkDir, "shot-" + reference + ".png");
        var savePng = await servers.CliAsync("tickets", "attachment", "save", reference, listedPng.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture), "--out", pngOut);
        Assert.True(savePng.ExitCode == 0, savePng.Stderr);
        Assert.Equal(Png, await File.ReadAllBytesAsync(pngOut));
        Assert.Equal(1, (await servers.CliAsync("tickets", "attachment", "save", reference, "999999")).ExitCode);

        // The agents' notification lists both files with type and size.
        var notification = EmailChannelFixture.To(
            await servers.Sink.WaitForAsync(m => m.Any(n => (n.Subject ?? "").Contains(reference, StringComparison.Ordinal) && n.To.Mailboxes.Any(a => a.Address == EmailChannelFixture.AgentsAddress))),
            EmailChannelFixture.AgentsAddress).First(n => (n.Subject ?? "").Contains(reference, StringComparison.Ordinal));
        Assert.Contains($"../../.发票.pdf  application/pdf  {Pdf.Length} ", notification.TextBody, StringComparison.Ordinal);
        Assert.Contains($"screen.png  image/png  {Png.Length} ", notification.TextBody, StringComparison.Ordinal);
        Assert.Empty(notification.Attachments);
    }

    [Fact]
    public async Task ReplyWithAttach_ReachesTheSinkWithTheFiles_OverTheLimitIsRefusedWithOneLine()
    {
        const string chen = "chenqi@example.cn";
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(chen, Support, "咨询：账单", "请把账单发给我。", "bill-1@example.cn"));
        await servers.MailsToAsync(chen, 1);
        var reference = (await servers.TicketOfAsync(chen)).RootElement.GetProperty("ref").GetString()!;
        var folder = Directory.CreateTempSubdirectory("tg-attach-").FullName;
        var bill = Path.Combine(folder, "账单.pdf");
        var notes = Path.Combine(folder, "notes.txt");
        await File.WriteAllBytesAsync(bill, Pdf);
        await File.WriteAllTextAsync(notes, "第二个文件\n");

        var tooSmall = new Dictionary<string, string>(MailEnvironment()) { ["Mail__Outbound__MaxAttachmentBytes"] = (Pdf.Length - 1).ToString(CultureInfo.InvariantCulture) };
        var refused = await GatewayProcess.RunCliAsync(servers.WorkDir, tooSmall, "reply", reference, "--text", "账单见附件。", "--attach", bill);
        Assert.Equal(2, refused.ExitCode);
        Assert.Single(refused.Stderr.Trim().Split('\n'));
        Assert.Contains($"{Pdf.Length} bytes together; a mail may carry at most {Pdf.Length - 1} (Mail:Outbound:MaxAttachmentBytes)", refused.Stderr, StringComparison.Ordinal);
        Assert.Single(await servers.OutboxToAsync(chen));

        var sent = await GatewayProcess.RunCliAsync(servers.WorkDir, MailEnvironment(), "reply", reference, "--text", "账单见附件。", "--attach", bill, "--attach", notes);
        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.Contains("with 2 file(s)", sent.Stdout, StringComparison.Ordinal);

        var reply = EmailChannelFixture.To(await servers.MailsToAsync(chen, 2), chen)[1];
        Assert.Contains("账单见附件。", reply.TextBody, StringComparison.Ordinal);
        var received = reply.Attachments.OfType<MimePart>().ToDictionary(p => p.FileName ?? "", Decoded);
        Assert.Equal(["notes.txt", "账单.pdf"], received.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Pdf, received["账单.pdf"]);
        Assert.Equal(await File.ReadAllBytesAsync(notes), received["notes.txt"]);

        using var show = await servers.ShowAsync(reference);
        var outbound = show.RootElement.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("direction").GetString() == "outbound" && m.GetProperty("attachments").GetArrayLength() > 0);
        Assert.Equal([("notes.txt", (long)new FileInfo(notes).Length), ("账单.pdf", (long)Pdf.Length)],
            outbound.GetProperty("attachments").EnumerateArray().Select(a => (a.GetProperty("name").GetString()!, a.GetProperty("size").GetInt64())).OrderBy(a => a.Item1, StringComparer.Ordinal));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task AgentMailWithAFile_TheCustomerReceivesTheFile_StoredOnceWithTheAnswer()
    {
        const string zhou = "zhoujiu@example.cn";
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail($"周九 <{zhou}>", Support, "咨询：发票", "请把十一月的发票发给我。", "inv-1@example.cn"));
        await servers.MailsToAsync(zhou, 1);
        var reference = (await servers.TicketOfAsync(zhou)).RootElement.GetProperty("ref").GetString()!;
        var notification = EmailChannelFixture.To(await servers.Sink.WaitForAsync(m => m.Any(n => (n.Subject ?? "").Contains(reference, StringComparison.Ordinal) && n.To.Mailboxes.Any(a => a.Address == EmailChannelFixture.AgentsAddress))), EmailChannelFixture.AgentsAddress)
            .First(n => (n.Subject ?? "").Contains(reference, StringComparison.Ordinal));

        // The agent answers from a mail client, the invoice attached and a logo in the signature.
        var builder = new BodyBuilder { TextBody = "您好，十一月发票见附件。" };
        builder.Attachments.Add("发票-11月.pdf", Pdf, new ContentType("application", "pdf"));
        builder.LinkedResources.Add("logo.png", Png, new ContentType("image", "png")).ContentId = "logo@example.com";
        var answer = new MimeMessage { Subject = "Re: " + notification.Subject, MessageId = "agent-inv-1@example.com", Body = builder.ToMessageBody() };
        answer.From.Add(MailboxAddress.Parse(EmailChannelFixture.Agent));
        answer.To.Add(MailboxAddress.Parse(notification.ReplyTo.Mailboxes.Single().Address));
        answer.InReplyTo = notification.MessageId;
        await servers.DeliverAndWaitAsync(Raw(answer));

        var reply = EmailChannelFixture.To(await servers.MailsToAsync(zhou, 2), zhou)[1];
        Assert.Contains("十一月发票见附件。", reply.TextBody, StringComparison.Ordinal);
        var file = Assert.Single(reply.Attachments.OfType<MimePart>());
        Assert.Equal("发票-11月.pdf", file.FileName);
        Assert.Equal(Pdf, Decoded(file));
        using var show = await servers.ShowAsync(reference);
        var outbound = show.RootElement.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("direction").GetString() == "outbound" && m.GetProperty("attachments").GetArrayLength() > 0);
        Assert.Equal(["发票-11月.pdf"], outbound.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(0, show.RootElement.GetProperty("attachments").GetArrayLength());
    }

    [Fact]
    public async Task NoteAndMerge_NoteIsNeverSent_LaterMailToTheMergedTicketLandsInTheTarget()
    {
        const string sun = "sunba@example.cn";
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(sun, Support, "咨询：彩铃", "彩铃怎么退订？", "merge-1@example.cn"));
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(sun, Support, "咨询：退订", "我想退订彩铃业务。", "merge-2@example.cn"));
        var acks = EmailChannelFixture.To(await servers.MailsToAsync(sun, 2), sun);
        var refs = await RefsOfAsync(sun);
        var (duplicate, target) = (refs[0], refs[1]);
        var duplicateAck = acks.Single(a => (a.Subject ?? "").Contains(duplicate, StringComparison.Ordinal));

        var note = await servers.CliAsync("tickets", "note", target, "--text", "内部：同一用户两封信，合并处理。");
        Assert.True(note.ExitCode == 0, note.Stderr);
        Assert.Equal(2, (await servers.OutboxToAsync(sun)).Count);

        var self = await servers.CliAsync("tickets", "merge", duplicate, "--into", duplicate);
        Assert.Equal(2, self.ExitCode);
        Assert.Single(self.Stderr.Trim().Split('\n'));
        var merged = await servers.CliAsync("tickets", "merge", duplicate, "--into", target);
        Assert.True(merged.ExitCode == 0, merged.Stderr);
        var intoMerged = await servers.CliAsync("tickets", "merge", target, "--into", duplicate);
        Assert.Equal(1, intoMerged.ExitCode);
        Assert.Contains($"{duplicate} was already merged into {target}", intoMerged.Stderr, StringComparison.Ordinal);

        // The customer answers the merged ticket's acknowledgement, then writes with its tag: both land in the target.
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(sun, Support, "Re: " + duplicateAck.Subject, "补充：号码是 138 0013 8000。", "merge-3@example.cn", inReplyTo: duplicateAck.MessageId));
        await servers.DeliverAndWaitAsync(EmailChannelFixture.Mail(sun, Support, $"[{duplicate}] 还没处理吗", "请尽快处理。", "merge-4@example.cn"));

        Assert.Equal([duplicate, target], await RefsOfAsync(sun));
        using var closed = await servers.ShowAsync(duplicate);
        Assert.Equal(("closed", target), (closed.RootElement.GetProperty("status").GetString(), closed.RootElement.GetProperty("mergedInto").GetString()));
        Assert.Empty(closed.RootElement.GetProperty("messages").EnumerateArray());
        using var live = await servers.ShowAsync(target);
        Assert.Equal([duplicate], live.RootElement.GetProperty("mergedFrom").EnumerateArray().Select(e => e.GetString()));
        var texts = live.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ToList();
        Assert.Contains("彩铃怎么退订？", texts);
        Assert.Contains("补充：号码是 138 0013 8000。", texts);
        Assert.Contains("请尽快处理。", texts);
        Assert.Contains(live.RootElement.GetProperty("history").EnumerateArray(), h => h.GetProperty("detail").GetString()!.Contains($"{duplicate} was merged into {target}", StringComparison.Ordinal));
        Assert.Contains(live.RootElement.GetProperty("messages").EnumerateArray(), m => m.GetProperty("direction").GetString() == "note");

        // The note was never mailed: the customer got the two acknowledgements and nothing else.
        Assert.DoesNotContain(EmailChannelFixture.To(servers.Sink.Mails(), sun), m => (m.TextBody ?? "").Contains("合并处理", StringComparison.Ordinal));
        Assert.All(await servers.OutboxToAsync(sun), e => Assert.Equal("acknowledgement", e.Purpose));
    }

    private Dictionary<string, string> MailEnvironment()
    {
        var mail = servers.Dovecot.GatewayEnvironment(TimeSpan.FromSeconds(5));
        return new Dictionary<string, string>(servers.Db.Environment)
        {
            ["Mail__SupportAddress"] = mail["Mail__SupportAddress"],
            ["Mail__ReplyTokenSecret"] = mail["Mail__ReplyTokenSecret"],
        };
    }

    private async Task<List<string>> RefsOfAsync(string customer)
    {
        using var all = JsonDocument.Parse((await servers.CliAsync("tickets", "list", "--json")).Stdout);
        return [.. all.RootElement.EnumerateArray()
            .Where(t => t.GetProperty("customer").GetProperty("email").GetString() == customer)
            .Select(t => t.GetProperty("ref").GetString()!)
            .Order(StringComparer.Ordinal)];
    }

    private static byte[] Raw(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        return stream.ToArray();
    }

    private static byte[] Decoded(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }
}

public sealed class AttachmentsAndMergeTestsOnSqlite(EmailChannelFixtureOnSqlite servers)
    : AttachmentsAndMergeTests(servers), IClassFixture<EmailChannelFixtureOnSqlite>;

public sealed class AttachmentsAndMergeTestsOnPostgres(EmailChannelFixtureOnPostgres servers)
    : AttachmentsAndMergeTests(servers), IClassFixture<EmailChannelFixtureOnPostgres>;
