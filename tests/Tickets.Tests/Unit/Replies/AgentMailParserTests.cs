using TicketGateway.Tickets.Replies;

namespace TicketGateway.Tickets.Tests.Unit.Replies;

public sealed class AgentMailParserTests
{
    [Fact]
    public void Parse_CommandsThenTextThenQuote_SeparatesCommandsTextAndDropsQuote()
    {
        var mail = AgentMailParser.Parse("#resolve\r\n#level 2\r\n\r\n您好，已为您退费 10 元。\r\n\r\n在 2026年11月26日 14:00，TicketGateway 写道：\r\n> 新工单 TG-000001\r\n> 客户来信\r\n");

        Assert.Equal([AgentCommandKind.Resolve, AgentCommandKind.Level], mail.Commands.Select(c => c.Kind));
        Assert.Equal("2", mail.Argument(AgentCommandKind.Level));
        Assert.Equal("您好，已为您退费 10 元。", mail.Text);
        Assert.Empty(mail.Errors);
    }

    [Theory]
    [InlineData("Refund done.\n\nOn Thu, 26 Nov 2026 at 14:00, Support <support@desk.test> wrote:\n> New ticket\n")]
    [InlineData("Refund done.\n-- \nLi Si\nSenior agent\n")]
    [InlineData("Refund done.\n\n-----Original Message-----\nFrom: Support\nSent: today\n")]
    [InlineData("Refund done.\n\nFrom: Support <support@desk.test>\nSent: Thursday\n")]
    [InlineData("Refund done.\n> quoted line\n> another\n")]
    public void Parse_QuotedOriginalOrSignature_KeepsOnlyTheAgentsText(string body)
    {
        var mail = AgentMailParser.Parse(body);

        Assert.Equal("Refund done.", mail.Text);
        Assert.Empty(mail.Commands);
    }

    [Fact]
    public void Parse_UnknownCommand_ReportsItAndKeepsTheKnownOnes()
    {
        var mail = AgentMailParser.Parse("#resolve\n#escalate now\nText");

        Assert.Single(mail.Commands);
        var error = Assert.Single(mail.Errors);
        Assert.Contains("#escalate", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#level 5")]
    [InlineData("#level two")]
    [InlineData("#kind weather")]
    [InlineData("#template")]
    [InlineData("#note please")]
    public void Parse_BadArgument_IsAnError(string line)
    {
        Assert.Single(AgentMailParser.Parse(line + "\ntext").Errors);
    }

    [Fact]
    public void Parse_TemplateKindAndNote_ReadsArguments()
    {
        var mail = AgentMailParser.Parse("#template refund-done; #kind Fee\n#note\nCalled the customer.");

        Assert.Equal("refund-done", mail.Argument(AgentCommandKind.Template));
        Assert.Equal("fee", mail.Argument(AgentCommandKind.Kind));
        Assert.True(mail.Has(AgentCommandKind.Note));
        Assert.Equal("Called the customer.", mail.Text);
    }

    [Fact]
    public void Parse_HashInsideText_IsNotACommand()
    {
        var mail = AgentMailParser.Parse("Your order #123 is refunded.\n#resolve");

        Assert.Empty(mail.Commands);
        Assert.Equal("Your order #123 is refunded.\n#resolve", mail.Text);
    }
}
