using MimeKit;
using TicketGateway.MailIntake.Mime;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.MailIntake.Tests.Unit.Mime;

public sealed class MimeComposerTests
{
    private static readonly OutboundMessage Notification = new()
    {
        Date = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8)),
        From = new MailRecipient("客服中心", "support@desk.test"),
        To = [new MailRecipient("李四", "lisi@desk.test"), new MailRecipient("", "agents@desk.test")],
        ReplyTo = "support+TG-000001.abcdefghijklmnop@desk.test",
        Subject = "[TG-000001] 新工单：多扣费",
        MessageId = "0123456789abcdef0123456789abcdef@desk.test",
        InReplyTo = "c1@customer.test",
        References = ["c0@customer.test", "c1@customer.test"],
        AutoSubmitted = "auto-replied",
        Loop = "support@desk.test",
        Text = "您好，\n新工单。",
    };

    [Fact]
    public void Compose_TextOnlyNotification_WritesTheOutboxHeadersInOrderAndOneTextPart()
    {
        var parsed = MimeMessage.Load(new MemoryStream(new MimeComposer().Compose(Notification)));

        Assert.Equal(
            ["From", "Date", "Subject", "Message-Id", "To", "Reply-To", "In-Reply-To", "References", "Auto-Submitted", Outbox.LoopHeader, "MIME-Version"],
            parsed.Headers.Select(h => h.Field));
        Assert.Equal(("客服中心", "support@desk.test"), (parsed.From.Mailboxes.Single().Name, parsed.From.Mailboxes.Single().Address));
        Assert.Equal(["lisi@desk.test", "agents@desk.test"], parsed.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("李四", parsed.To.Mailboxes.First().Name);
        Assert.Equal(Notification.ReplyTo, parsed.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal(Notification.Subject, parsed.Subject);
        Assert.Equal(Notification.MessageId, parsed.MessageId);
        Assert.Equal(Notification.InReplyTo, parsed.InReplyTo);
        Assert.Equal(Notification.References, parsed.References);
        Assert.Equal("auto-replied", parsed.Headers["Auto-Submitted"]);
        Assert.Equal("support@desk.test", parsed.Headers[Outbox.LoopHeader]);
        Assert.Equal(Notification.Date, parsed.Date);
        var text = Assert.IsType<TextPart>(parsed.Body);
        Assert.True(text.IsPlain);
        Assert.Equal(Notification.Text, text.Text.ReplaceLineEndings("\n").TrimEnd('\n'));
    }

    [Fact]
    public void Compose_PersonsAnswerWithHtml_IsMultipartAlternativeWithoutAutoSubmittedOrReplyTo()
    {
        var answer = Notification with { AutoSubmitted = null, ReplyTo = null, InReplyTo = null, References = [], Html = "<p>您好</p>" };

        var parsed = MimeMessage.Load(new MemoryStream(new MimeComposer().Compose(answer)));

        Assert.Null(parsed.Headers["Auto-Submitted"]);
        Assert.Empty(parsed.ReplyTo);
        Assert.Null(parsed.InReplyTo);
        var alternative = Assert.IsType<MultipartAlternative>(parsed.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Contains("<p>您好</p>", parsed.HtmlBody, StringComparison.Ordinal);
    }
}
