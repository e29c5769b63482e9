using System.Text;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.MailIntake.Tests.Support;

namespace TicketGateway.MailIntake.Tests.Unit.Parsing;

public sealed class MailReaderTests
{
    [Fact]
    public void Register_Gb2312Name_DecodesAsGb18030()
    {
        MailCharsets.Register();
        Assert.Equal(54936, Encoding.GetEncoding("gb2312").CodePage);
        Assert.Equal(54936, Encoding.GetEncoding("GBK").CodePage);
    }

    [Theory]
    [InlineData("gb2312.eml", "投诉：话费被多扣", "张三", "您好，我的手机本月被多扣了十元费用，请尽快退费。")]
    [InlineData("gbk-as-gb2312.eml", "咨询：陶喆和王堃的彩铃", "朱镕", "请问陶喆和王堃的彩铃怎么订购？朱镕")]
    [InlineData("gb18030.eml", "故障申告：𠀀字显示不出来", "李䶮", "我的名字里有䶮字，短信里显示成问号。𠀀")]
    [InlineData("big5.eml", "查詢：我的手機無法使用", "陳大文", "您好，我的手機訂閱的服務無法使用，請協助處理。")]
    [InlineData("iso-2022-jp.eml", "お問い合わせ：料金について", "山田太郎", "サービスの料金について教えてください。")]
    public void Read_ChineseAndJapaneseCharsets_DecodesSubjectSenderAndBody(string file, string subject, string name, string text)
    {
        var mail = Fixtures.Read(file);

        Assert.Equal(subject, mail.Subject);
        Assert.Equal(name, mail.FromName);
        Assert.Equal(text, mail.Text);
        Assert.False(mail.Classification.IsAutomated);
    }

    [Fact]
    public void Read_FoldedRfc2047AndRfc2231Continuation_DecodesSubjectAndFileName()
    {
        var mail = Fixtures.Read("rfc2231.eml");

        Assert.Equal("投诉：重复扣费 refund", mail.Subject);
        Assert.Equal("王 五", mail.FromName);
        Assert.Equal("附件是扣费的发票。", mail.Text);
        var pdf = Assert.Single(mail.Attachments);
        Assert.Equal("扣费发票.pdf", pdf.FileName);
        Assert.Equal("application/pdf", pdf.ContentType);
        Assert.Equal("%PDF-1.4 fake invoice\n"u8.ToArray(), pdf.Content);
        Assert.False(pdf.Inline);
    }

    [Fact]
    public void Read_HtmlOnly_GivesReadableTextSanitisedHtmlAndInlineImage()
    {
        var mail = Fixtures.Read("html-only.eml");

        Assert.Equal("您好 客服，\n我的会员无法登录&使用。\n截图如下：", mail.Text);
        Assert.NotNull(mail.Html);
        Assert.DoesNotContain("<script", mail.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", mail.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("会员", mail.Html, StringComparison.Ordinal);
        var image = Assert.Single(mail.Attachments);
        Assert.True(image.Inline);
        Assert.Equal("shot1@example.cn", image.ContentId);
        Assert.Equal("image/png", image.ContentType);
    }

    [Fact]
    public void Read_UnknownBodyCharset_ThrowsSayingWhichCharset()
    {
        var ex = Assert.Throws<MailFormatException>(() => Fixtures.Read("malformed-charset.eml"));
        Assert.Contains("'x-unknown-cn'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownBodyCharsetWithOverride_DecodesWithTheGivenCharset()
    {
        var mail = Fixtures.Reader().Read(Fixtures.Raw("malformed-charset.eml"), MailCharsets.Find("gbk"));
        Assert.Equal("我要投诉，这个月被乱扣费。", mail.Text);
    }

    [Fact]
    public void Read_NoSender_ThrowsSayingFromIsMissing()
    {
        var ex = Assert.Throws<MailFormatException>(() => Fixtures.Read("no-sender.eml"));
        Assert.Contains("From", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MimeNestedDeeperThanMaxMimeDepth_ThrowsNamingTheSetting()
    {
        var reader = Fixtures.Reader(new Intake.IntakeOptions { MaxMimeDepth = 4 });
        Assert.Equal("我的话费被多扣了。", reader.Read(Fixtures.Nested(3, "shallow@example.cn")).Text);

        var ex = Assert.Throws<MailFormatException>(() => reader.Read(Fixtures.Nested(10, "deep@example.cn")));
        Assert.Contains("Mail:Intake:MaxMimeDepth (4)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FromWithAnAddressInItsEncodedDisplayName_HoldsTheMailAndNeverNamesThatAddress()
    {
        // From: =?utf-8?Q?V:victim@example.test:_1?= <attacker@evil.test>: the colon makes it a group holding victim@example.test.
        var raw = Fixtures.Raw("from-address-in-display-name.eml");

        var ex = Assert.Throws<MailFormatException>(() => Fixtures.Reader().Read(raw));
        Assert.Contains("group", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("victim", ex.Message, StringComparison.Ordinal);
        Assert.Null(MailReader.ReadHeaders(Intake.RawMail.InMemory(raw))!.FromAddress);
    }

    [Fact]
    public void Read_HtmlOnly_IncomingMailCarriesTheSameConvertedText()
    {
        // One HTML-to-text converter: the reply side reads the text the intake stored.
        var mail = Fixtures.Read("html-only.eml");

        Assert.Equal(mail.Text, mail.Incoming!.Text);
        Assert.DoesNotContain("<", mail.Incoming.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ReplyWithCc_IncomingMailCarriesSenderRecipientsAndThreading()
    {
        var raw = Fixtures.Mail("Zhang <Zhang@Customer.test>", "Re: [TG-000001] 多扣费", "2", "a2@customer.test", inReplyTo: "q1@example.com",
            references: "<q0@example.com> <q1@example.com>", extraHeaders: "Cc: Li <li@customer.test>\r\n");

        var incoming = Fixtures.Reader().Read(raw).Incoming!;

        Assert.Equal("Zhang@Customer.test", incoming.From);
        Assert.Equal(["support@example.com", "li@customer.test"], incoming.Recipients);
        Assert.Equal("Re: [TG-000001] 多扣费", incoming.Subject);
        Assert.Equal(("a2@customer.test", "q1@example.com"), (incoming.MessageId, incoming.InReplyTo));
        Assert.Equal(["q0@example.com", "q1@example.com"], incoming.References);
        Assert.Equal("2", incoming.Text);
        Assert.False(incoming.IsAutomated);
    }

    [Fact]
    public void Read_QuotedDisplayNameHoldingAnAgentAddress_SenderIsTheMailboxAddress()
    {
        var mail = Fixtures.Read("from-agent-in-quoted-name.eml");

        Assert.Equal("stranger@example.org", mail.FromAddress);
        Assert.Equal("lisi@example.com", mail.FromName);
    }

    [Theory]
    [InlineData("from-group.eml", "group")]
    [InlineData("from-several-mailboxes.eml", "2 senders")]
    [InlineData("from-missing-reply-to-only.eml", "no sender")]
    public void Read_FromWithoutExactlyOneMailbox_ThrowsSayingWhy(string file, string reason)
    {
        var raw = Fixtures.Raw(file);

        var ex = Assert.Throws<MailFormatException>(() => Fixtures.Reader().Read(raw));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Null(MailReader.ReadHeaders(Intake.RawMail.InMemory(raw))!.FromAddress);
    }

    [Fact]
    public void Read_AttachmentOverLimit_RecordsItAsDropped()
    {
        var reader = Fixtures.Reader(new Intake.IntakeOptions { MaxAttachmentSize = 10 });
        var pdf = Assert.Single(reader.Read(Fixtures.Raw("rfc2231.eml")).Attachments);

        Assert.Null(pdf.Content);
        Assert.Equal(22, pdf.Size);
        Assert.Contains("MaxAttachmentSize", pdf.DroppedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void ContentHash_SameBodyDifferentHeaders_IsEqual()
    {
        var a = Fixtures.Mail("a@example.cn", "x", "same body", "m1@example.cn");
        var b = Encoding.ASCII.GetBytes("Received: from relay\r\n").Concat(a).ToArray();
        using var stream = new MemoryStream(b);

        Assert.Equal(ContentHash.Of(a), ContentHash.Of(b));
        Assert.Equal(ContentHash.Of(a), ContentHash.Of(stream));
        Assert.NotEqual(ContentHash.Of(a), ContentHash.Of(Fixtures.Mail("a@example.cn", "x", "other body", "m1@example.cn")));
    }
}
