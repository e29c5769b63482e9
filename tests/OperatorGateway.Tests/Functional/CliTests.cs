using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>The CLI as agents use it: the real executable, its exit codes, stdout and stderr.</summary>
[RunsLong]
public abstract class CliTests(StoreKind engine)
{
    private static readonly string[] TicketFields =
    [
        "ref", "channel", "kind", "level", "status", "customer", "subject", "acceptedAt", "replyDueAt",
        "resolveDueAt", "firstReplyAt", "resolvedAt", "repeatOf", "satisfaction", "operator",
    ];

    [Fact]
    public async Task TicketsCreate_PhoneInquiry_AppearsInListJsonWithEveryField()
    {
        using var desk = new Desk(engine);
        var created = await desk.RunAsync(
            "tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13800138000", "--subject", "话费查询", "--text", "想查本月话费");
        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("TG-000001 created", created.Stdout, StringComparison.Ordinal);

        var list = await desk.RunAsync("tickets", "list", "--json");
        Assert.Equal(0, list.ExitCode);
        using var doc = JsonDocument.Parse(list.Stdout);
        var t = Assert.Single(doc.RootElement.EnumerateArray());
        foreach (var field in TicketFields)
        {
            Assert.True(t.TryGetProperty(field, out _), $"tickets list --json lacks '{field}'");
        }

        Assert.Equal("TG-000001", t.GetProperty("ref").GetString());
        Assert.Equal("phone", t.GetProperty("channel").GetString());
        Assert.Equal("inquiry", t.GetProperty("kind").GetString());
        Assert.Equal("new", t.GetProperty("status").GetString());
        Assert.Equal("13800138000", t.GetProperty("customer").GetProperty("phone").GetString());
        Assert.Equal("话费查询", t.GetProperty("subject").GetString());
        Assert.EndsWith("+08:00", t.GetProperty("acceptedAt").GetString(), StringComparison.Ordinal);
        var accepted = DateTimeOffset.Parse(t.GetProperty("acceptedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var replyDue = DateTimeOffset.Parse(t.GetProperty("replyDueAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(2), replyDue - accepted);
    }

    [Fact]
    public async Task TicketsShow_AfterLevelAndResolve_ShowsMessagesAndHistoryInJson()
    {
        using var desk = new Desk(engine);
        await desk.RunAsync("tickets", "create", "--channel", "phone", "--kind", "complaint", "--level", "1",
            "--customer-phone", "13800138000", "--subject", "扣费投诉", "--text", "未订购却扣费", "--accepted", "2026-09-30T10:00:00+08:00");
        Assert.Equal(0, (await desk.RunAsync("tickets", "level", "TG-000001", "3")).ExitCode);
        Assert.Equal(0, (await desk.RunAsync("tickets", "resolve", "TG-000001", "--text", "已退费 5 元")).ExitCode);

        var show = await desk.RunAsync("tickets", "show", "TG-000001", "--json");
        Assert.Equal(0, show.ExitCode);
        using var doc = JsonDocument.Parse(show.Stdout);
        var t = doc.RootElement;
        Assert.Equal(3, t.GetProperty("level").GetInt32());
        Assert.Equal("2026-10-12T10:00:00+08:00", t.GetProperty("resolveDueAt").GetString());
        Assert.Equal("resolved", t.GetProperty("status").GetString());
        Assert.Equal("已退费 5 元", t.GetProperty("resolution").GetString());
        Assert.Equal("未订购却扣费", t.GetProperty("messages")[0].GetProperty("text").GetString());
        Assert.Equal(["created", "level", "resolved"], t.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
    }

    [Theory]
    [InlineData(1, "does not exist", "tickets", "show", "TG-000999")]
    [InlineData(2, "not a ticket reference", "tickets", "show", "999")]
    [InlineData(2, "not an ISO 8601 time", "sla", "due", "--level", "3", "--accepted", "30/09/2026")]
    [InlineData(2, "not a complaint level", "sla", "due", "--level", "5", "--accepted", "2026-09-30T10:00:00+08:00")]
    [InlineData(2, "missing required option --subject", "tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "138", "--text", "t")]
    [InlineData(2, "unknown option --colour", "tickets", "list", "--colour")]
    [InlineData(2, "is not one of", "tickets", "list", "--status", "lost")]
    [InlineData(2, "not a command", "frobnicate")]
    [InlineData(2, "needs the caller's number", "tickets", "create", "--channel", "phone", "--kind", "inquiry", "--subject", "s", "--text", "t")]
    public async Task WrongInput_ExitsNonZeroWithOneLineAndNoStackTrace(int exitCode, string expected, params string[] args)
    {
        using var desk = new Desk(engine);
        var r = await desk.RunAsync(args);
        Assert.Equal(exitCode, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorJson_ChineseText_IsWrittenAsUtf8NotEscaped()
    {
        await using var rig = await ExchangeRig.StartAsync(engine);
        var receipt = await rig.A.SubmitComplaintAsync(Exchange.Complaint("WO-UTF8"));
        foreach (var (expected, args) in new[] { ("您的投诉已受理", new[] { "operator", "updates", receipt.TicketRef, "--json" }), ("未订购却被扣费", ["tickets", "show", receipt.TicketRef, "--json"]) })
        {
            var r = await rig.Desk.RunAsync(args);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains(expected, r.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u", r.Stdout, StringComparison.Ordinal);
            using var _ = JsonDocument.Parse(r.Stdout);
        }
    }

    [Fact]
    public async Task TicketsLevel_Five_IsRefusedAndTheTicketUnchanged()
    {
        using var desk = new Desk(engine);
        await desk.RunAsync("tickets", "create", "--channel", "phone", "--kind", "complaint", "--customer-phone", "13800138000", "--subject", "s", "--text", "t");
        var r = await desk.RunAsync("tickets", "level", "TG-000001", "5");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("level 5 does not exist", r.Stderr, StringComparison.Ordinal);
        var show = await desk.RunAsync("tickets", "show", "TG-000001", "--json");
        using var doc = JsonDocument.Parse(show.Stdout);
        Assert.Equal(1, doc.RootElement.GetProperty("level").GetInt32());
        Assert.Single(doc.RootElement.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task ConfigOption_ExtraJsonFile_ChangesTheReplyDeadline()
    {
        using var desk = new Desk(engine);
        var file = Path.Combine(desk.Path, "extra.json");
        await File.WriteAllTextAsync(file, """{ "Sla": { "FirstReply": { "Inquiry": "00:30:00" } } }""");
        var r = await desk.RunAsync("--config", file, "tickets", "create", "--channel", "phone", "--kind", "inquiry",
            "--customer-phone", "13800138000", "--subject", "s", "--text", "t", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var accepted = doc.RootElement.GetProperty("acceptedAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromMinutes(30), doc.RootElement.GetProperty("replyDueAt").GetDateTimeOffset() - accepted);
    }

    [Fact]
    public async Task ConfigOption_DocsExample_PassesTheStartUpValidationOfServerAndCli()
    {
        var example = Path.Combine(RepositoryRoot(), "docs", "appsettings.example.json");
        using var desk = new Desk(engine);

        // The server's own start-up checks (every validated section, the agents, the reply templates),
        // without connecting to the example's mail servers; the test's store instead of the example's.
        await using (var server = GatewayProgram.BuildServer([.. desk.Db.Settings.Select(s => $"--{s.Key}={s.Value}")], example))
        {
            _ = server.Services.GetRequiredService<Tickets.Replies.ReplyWorkflow>();
            Assert.Equal("cmcc", Assert.Single(server.Services.GetRequiredService<Operators.OperatorDirectory>().All).Id);
        }

        Assert.Equal(0, (await desk.RunBareAsync(null, "--config", example, "init")).ExitCode);
        var list = await desk.RunBareAsync(null, "--config", example, "tickets", "list");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("0 ticket(s)", list.Stdout, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TicketGateway.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TicketGateway.sln not found above " + AppContext.BaseDirectory);
    }

}

public sealed class CliTestsOnSqlite() : CliTests(StoreKind.Sqlite);

public sealed class CliTestsOnPostgres() : CliTests(StoreKind.Postgres);
