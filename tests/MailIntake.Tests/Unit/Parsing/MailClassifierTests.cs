using TicketGateway.MailIntake.Tests.Support;

namespace TicketGateway.MailIntake.Tests.Unit.Parsing;

public sealed class MailClassifierTests
{
    [Fact]
    public void Classify_OutOfOffice_IsAutomatedAutoReply()
    {
        var c = Fixtures.Read("auto-reply.eml").Classification;
        Assert.True(c.IsAutomated);
        Assert.True(c.IsAutoReply);
        Assert.False(c.MayAutoReply);
    }

    [Fact]
    public void Classify_DeliveryStatusNotification_IsBounceOfTheReturnedMessageId()
    {
        var mail = Fixtures.Read("dsn-bounce.eml");
        Assert.True(mail.Classification.IsBounce);
        Assert.True(mail.Classification.IsAutomated);
        Assert.Equal(["reply-1@example.com"], mail.BouncedMessageIds);
        Assert.Contains("5.1.1", mail.BounceDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ListMail_IsAutomatedList()
    {
        var c = Fixtures.Read("list-mail.eml").Classification;
        Assert.True(c.IsAutomated);
        Assert.True(c.IsList);
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-generated\r\n")]
    [InlineData("Precedence: bulk\r\n")]
    [InlineData("Precedence: junk\r\n")]
    [InlineData("X-Autorespond: yes\r\n")]
    [InlineData("Return-Path: <>\r\n")]
    public void Classify_RobotHeader_IsAutomated(string header)
    {
        var raw = Fixtures.Mail("robot@example.cn", "hello", "text", "r1@example.cn", extraHeaders: header);
        Assert.True(Fixtures.Reader().Read(raw).Classification.IsAutomated);
    }

    [Fact]
    public void Classify_AutoSubmittedNo_IsAPerson()
    {
        var raw = Fixtures.Mail("person@example.cn", "hello", "text", "p1@example.cn", extraHeaders: "Auto-Submitted: no\r\n");
        Assert.True(Fixtures.Reader().Read(raw).Classification.MayAutoReply);
    }

    [Theory]
    [InlineData("ours-1@example.com", "")]
    [InlineData("x@elsewhere.cn", "X-TicketGateway-Loop: support@example.com\r\n")]
    public void Classify_OurOwnMail_IsOwnLoop(string messageId, string header)
    {
        var raw = Fixtures.Mail("support@example.com", "Re: hello", "text", messageId, extraHeaders: header);
        Assert.True(Fixtures.Reader().Read(raw).Classification.IsOwnLoop);
    }

    [Fact]
    public void Classify_ColleagueMailWithMessageIdInOurDomain_IsNotOwnLoop()
    {
        // An agent's mail client names its Message-IDs in the company's domain: the agent's reply must reach the reply side.
        var raw = Fixtures.Mail("lisi@example.com", "Re: [TG-000001] 新工单", "已处理", "CAFx.1234.mail@example.com");
        Assert.False(Fixtures.Reader().Read(raw).Classification.IsOwnLoop);
        var ours = Fixtures.Mail("lisi@example.com", "Re: hello", "text", "0123456789abcdef0123456789abcdef@example.com");
        Assert.True(Fixtures.Reader().Read(ours).Classification.IsOwnLoop);
    }

    [Theory]
    [InlineData("Auto-Submitted: no-reply\r\n")]
    [InlineData("Auto-Submitted: notify\r\n")]
    public void Classify_AutoSubmittedOnlyStartingWithNo_IsAutomated(string header)
    {
        // RFC 3834: every value but "no" is a machine's; the intake once read any value starting with "no" as a person.
        var raw = Fixtures.Mail("robot@example.cn", "hello", "text", "r2@example.cn", extraHeaders: header);
        var mail = Fixtures.Reader().Read(raw);
        Assert.True(mail.Classification.IsAutomated);
        Assert.True(mail.Incoming!.IsAutomated);
    }

    [Fact]
    public void Classify_AutoSubmittedNoInCapitalsWithSpaces_IsAPerson()
    {
        var raw = Fixtures.Mail("person@example.cn", "hello", "text", "p2@example.cn", extraHeaders: "Auto-Submitted:  NO \r\n");
        var mail = Fixtures.Reader().Read(raw);
        Assert.True(mail.Classification.MayAutoReply);
        Assert.False(mail.Incoming!.IsAutomated);
    }

    [Fact]
    public void Classify_FromTheSupportAddressWithAForeignMessageId_IsOwnLoop()
    {
        // The reply side never answered mail from the support address; the intake took it for a customer's.
        var raw = Fixtures.Mail("Support <SUPPORT@example.com>", "hello", "text", "x1@elsewhere.cn");
        var mail = Fixtures.Reader().Read(raw);
        Assert.True(mail.Classification.IsOwnLoop);
        Assert.True(mail.Incoming!.IsAutomated);
    }

    [Theory]
    [InlineData("robot@example.cn", "X-Autoreply: yes\r\n")]
    [InlineData("MAILER-DAEMON@example.cn", "")]
    [InlineData("postmaster@example.cn", "")]
    public void Read_RobotTheReplySideOnceMissedOrTheIntakeDid_IncomingMailIsAutomated(string from, string header)
    {
        // Before one classifier, the reply side ignored X-Autoreply and the intake matched mailer-daemon by local part only.
        var raw = Fixtures.Mail(from, "Re: hello", "text", "r3@example.cn", extraHeaders: header);
        var mail = Fixtures.Reader().Read(raw);
        Assert.True(mail.Classification.IsAutomated);
        Assert.False(mail.Classification.MayAutoReply);
        Assert.True(mail.Incoming!.IsAutomated);
    }
}
