using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Replies;

/// <summary>Templates are checked before the gateway serves, and by the CLI.</summary>
public sealed class TemplateStartupTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("templates check")]
    public async Task Start_TemplateWithSyntaxError_StopsNamingFileLineAndColumn(string command)
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "templates", "zh-CN", "agent-reply.text.sbn");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "您好：\n{{ agent.text }} {{ for x in }}\n");
        var env = ReplyStack.Environment(null);
        env["Replies__TemplateFolder"] = Path.Combine(dir.Path, "templates");
        env["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0";

        var r = await GatewayProcess.RunCliAsync(dir.Path, env, command.Split(' '));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(file, r.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"line 2, column \d+", r.Stderr);
    }

    [Fact]
    public async Task TemplatesRender_TicketWithTemplateSyntaxInSubject_PrintsItLiterally()
    {
        using var dir = new TempDir();
        var env = ReplyStack.Environment(null);
        var created = await GatewayProcess.RunCliAsync(dir.Path, env, "tickets", "create", "--channel", "email", "--kind", "complaint",
            "--customer-email", "c@customer.test", "--subject", "Bill {{ 7 * 7 }} wrong", "--text", "x", "--language", "en");
        Assert.Equal(0, created.ExitCode);

        var r = await GatewayProcess.RunCliAsync(dir.Path, env, "templates", "render", "acknowledgement-complaint", "--ticket", "TG-000001");

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Subject: [TG-000001] We received your complaint: Bill {{ 7 * 7 }} wrong\n", r.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reply", "TG-000001")]
    [InlineData("reply", "TG-000001", "--text", "a", "--template", "resolution")]
    [InlineData("outbox", "retry", "x")]
    [InlineData("outbox", "list", "--status", "lost")]
    public async Task Cli_WrongInput_ExitsTwoWithOneLine(params string[] args)
    {
        using var dir = new TempDir();

        var r = await GatewayProcess.RunCliAsync(dir.Path, ReplyStack.Environment(null), args);

        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }
}
