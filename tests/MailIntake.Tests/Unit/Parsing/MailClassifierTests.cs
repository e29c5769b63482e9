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
}
