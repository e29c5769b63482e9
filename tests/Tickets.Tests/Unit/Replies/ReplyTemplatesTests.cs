using Microsoft.Extensions.Time.Testing;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.Tickets.Tests.Unit.Replies;

public sealed class ReplyTemplatesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("tg-templates-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Constructor_ShippedTemplates_ParseAndRenderInBothLanguages()
    {
        var templates = Create(null);

        foreach (var name in TemplateNames.Required)
        {
            Assert.Contains((name, "zh-CN"), templates.All);
            Assert.Contains((name, "en"), templates.All);
        }
    }

    [Fact]
    public void Constructor_SyntaxErrorInOverride_NamesFileLineAndColumn()
    {
        var file = Write("zh-CN/survey.text.sbn", "第一行\n您好 {{ if ticket.ref }\n");

        var ex = Assert.Throws<InvalidDataException>(() => Create(_dir));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.Matches(@"line 2, column \d+", ex.Message);
    }

    [Fact]
    public void Constructor_OverrideByName_ReplacesTheShippedOne()
    {
        Write("en/survey.subject.sbn", "Rate us: {{ ticket.ref }}");

        var mail = Create(_dir).Render(TemplateNames.Survey, "en", new TemplateData { Ticket = Ticket("x") });

        Assert.Equal("Rate us: TG-000007", mail.Subject);
    }

    [Fact]
    public void Render_TemplatesShareTheBuiltIns_NoTemplateChangesThemForTheNext()
    {
        // The built-in functions are built once and shared by every render (their per-render copy was a
        // tenth of the intake's writer): one template's variables and use of them never reach the next.
        Write("en/survey.subject.sbn", "{{ x ?? 'fresh' }} {{ string.upcase ticket.ref }} {{ date.parse ticket.accepted_at | date.to_string '%Y' }}");
        Write("en/survey.text.sbn", "{{ x ?? 'fresh' }}{{ x = 'kept' }} {{ string.size 'abc' }}");
        var templates = Create(_dir);
        var first = templates.Render(TemplateNames.Survey, "en", new TemplateData { Ticket = Ticket("x") });
        var second = templates.Render(TemplateNames.Survey, "en", new TemplateData { Ticket = Ticket("x") });

        Assert.Equal("fresh TG-000007 2026", first.Subject);
        Assert.Equal("fresh 3\n", first.Text);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Constructor_TemplateChangingABuiltIn_IsRefusedNamingTheFile()
    {
        var file = Write("en/survey.text.sbn", "{{ date.format = '%Y' }}{{ ticket.ref }}");

        var ex = Assert.Throws<InvalidDataException>(() => Create(_dir));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SubjectWithTemplateSyntaxAndNewlines_StaysLiteralOnOneLine()
    {
        var mail = Create(null).Render(TemplateNames.Acknowledgement(TicketKind.Complaint), "en",
            new TemplateData { Ticket = Ticket("Bill {{ 7 * 7 }}\r\nBcc: victim@example.com") });

        Assert.Contains("Bill {{ 7 * 7 }} Bcc: victim@example.com", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("49", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', mail.Subject);
        Assert.DoesNotContain('\n', mail.Subject);
    }

    [Fact]
    public void Render_HtmlBody_EscapesAgentAndCustomerText()
    {
        var mail = Create(null).Render(TemplateNames.AgentReply, "en",
            new TemplateData { Ticket = Ticket("x") with { Customer = new Customer("<b>Eve</b>", "eve@example.com", null) }, AgentText = "<script>alert(1)</script> {{ 7 * 7 }}", AgentName = "Li" });

        Assert.NotNull(mail.Html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; {{ 7 * 7 }}", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Eve&lt;/b&gt;", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script> {{ 7 * 7 }}", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ChineseTicket_UsesChineseTemplateWithDeadlineInDeskTime()
    {
        var mail = Create(null).Render(TemplateNames.Acknowledgement(TicketKind.Complaint), "zh-CN", new TemplateData { Ticket = Ticket("多扣费") });

        Assert.StartsWith("已受理您的投诉", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("2026-11-26 16:00", mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("refund-approved", "zh-CN", "退费已办理：多扣费", "您的退费申请（受理编号 TG-000007）已审核通过")]
    [InlineData("refund-approved", "en", "Refund approved: 多扣费", "Your refund (TG-000007) has been approved.")]
    [InlineData("unsubscribe-done", "zh-CN", "已为您退订：多扣费", "已按您的要求办理退订（受理编号 TG-000007）")]
    [InlineData("unsubscribe-done", "en", "Unsubscribed: 多扣费", "we have cancelled the subscription (TG-000007)")]
    [InlineData("need-more-information", "zh-CN", "请补充信息：多扣费", "为尽快处理您的投诉（受理编号 TG-000007），请回复本邮件补充以下信息")]
    [InlineData("need-more-information", "en", "More information needed: 多扣费", "To handle your complaint (TG-000007) quickly, please reply")]
    [InlineData("fault-fixed", "zh-CN", "故障已修复：多扣费", "您反映的问题（受理编号 TG-000007）已修复")]
    [InlineData("fault-fixed", "en", "Fixed: 多扣费", "The problem you reported (TG-000007) has been fixed")]
    public void Render_CannedTemplate_RendersInItsLanguageWithTicketAndAgent(string name, string language, string subject, string text)
    {
        var mail = Create(null).Render(name, language, new TemplateData { Ticket = Ticket("多扣费"), AgentName = "李四" });

        Assert.Contains(name, TemplateNames.Canned);
        Assert.Equal(subject, mail.Subject);
        Assert.Contains(text, mail.Text, StringComparison.Ordinal);
        Assert.Contains(language == "en" ? "Dear Zhang,\n" : "Zhang，您好：\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("李四\nTicketGateway\n", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReload_ChangedFileThenBrokenFile_TakesTheChangeAndKeepsItWhenTheNextIsBroken()
    {
        Write("en/survey.subject.sbn", "Rate us: {{ ticket.ref }}");
        var templates = Create(_dir);
        Write("en/survey.subject.sbn", "Tell us: {{ ticket.ref }}");

        Assert.Null(templates.TryReload());
        Assert.Equal("Tell us: TG-000007", templates.Render(TemplateNames.Survey, "en", new TemplateData { Ticket = Ticket("x") }).Subject);

        var broken = Write("en/survey.subject.sbn", "Broken {{ if ticket.ref }");
        var errors = templates.TryReload();

        Assert.NotNull(errors);
        Assert.Contains(broken, errors, StringComparison.Ordinal);
        Assert.Equal(1, templates.Version);
        Assert.Equal("Tell us: TG-000007", templates.Render(TemplateNames.Survey, "en", new TemplateData { Ticket = Ticket("x") }).Subject);
    }

    [Theory]
    [InlineData("zh-CN", true)]
    [InlineData("en", true)]
    [InlineData("fr", false)]
    [InlineData("", false)]
    public void ReplyOptionsValidator_DeskLanguage_AcceptsOnlyZhCnAndEn(string language, bool valid)
    {
        var result = new ReplyOptionsValidator().Validate(null, new ReplyOptions { DeskLanguage = language });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("DeskLanguage", result.FailureMessage, StringComparison.Ordinal);
            Assert.Contains("must be zh-CN or en", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_DutyAlertInChinese_ShowsTheStatusInChinese()
    {
        var mail = Create(null).Render(TemplateNames.DutyAlert, "zh-CN", new TemplateData { Ticket = Ticket("多扣费"), Event = "urge", Error = "催办" });

        Assert.Contains("当前状态 新建。", mail.Text, StringComparison.Ordinal);
    }

    private static Ticket Ticket(string subject) => new()
    {
        Id = 7,
        Channel = Channel.Email,
        Kind = TicketKind.Complaint,
        Level = 1,
        Status = TicketStatus.New,
        Customer = new Customer("Zhang", "zhang@example.com", null),
        Subject = subject,
        AcceptedAt = Now,
        ReplyDueAt = Now.AddHours(2),
        ResolveDueAt = Now.AddHours(2),
    };

    private static ReplyTemplates Create(string? folder) =>
        new(new ReplyOptions { TemplateFolder = folder }, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), "support@desk.test", new FakeTimeProvider(Now));

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return Path.GetFullPath(path);
    }
}
