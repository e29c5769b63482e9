using System.Text.Json;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>The CLI as agents use it: the real executable, its exit codes, stdout and stderr.</summary>
public sealed class CliTests
{
    private static readonly string[] TicketFields =
    [
        "ref", "channel", "kind", "level", "status", "customer", "subject", "acceptedAt", "replyDueAt",
        "resolveDueAt", "firstReplyAt", "resolvedAt", "repeatOf", "satisfaction", "operator",
    ];

    [Fact]
    public async Task TicketsCreate_PhoneInquiry_AppearsInListJsonWithEveryField()
    {
        using var dir = new TempDir();
        var created = await GatewayProcess.RunCliAsync(dir.Path,
            "tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13800138000", "--subject", "话费查询", "--text", "想查本月话费");
        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("TG-000001 created", created.Stdout, StringComparison.Ordinal);

        var list = await GatewayProcess.RunCliAsync(dir.Path, "tickets", "list", "--json");
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
        using var dir = new TempDir();
        await GatewayProcess.RunCliAsync(dir.Path, "tickets", "create", "--channel", "phone", "--kind", "complaint", "--level", "1",
            "--customer-phone", "13800138000", "--subject", "扣费投诉", "--text", "未订购却扣费", "--accepted", "2026-09-30T10:00:00+08:00");
        Assert.Equal(0, (await GatewayProcess.RunCliAsync(dir.Path, "tickets", "level", "TG-000001", "3")).ExitCode);
        Assert.Equal(0, (await GatewayProcess.RunCliAsync(dir.Path, "tickets", "resolve", "TG-000001", "--text", "已退费 5 元")).ExitCode);

        var show = await GatewayProcess.RunCliAsync(dir.Path, "tickets", "show", "TG-000001", "--json");
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

    [Fact]
    public async Task SlaDue_Level3BeforeNationalDay_PrintsTheIssueExample()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, "sla", "due", "--level", "3", "--accepted", "2026-09-30T10:00:00+08:00");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("2026-10-12T10:00:00+08:00", r.Stdout.Trim());
    }

    [Fact]
    public async Task SlaDue_YearWithoutData_WarnsOnStderr()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, "sla", "due", "--level", "3", "--accepted", "2030-03-04T10:00:00+08:00");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("2030-03-08T10:00:00+08:00", r.Stdout.Trim());
        Assert.Contains("No working-calendar data for 2030", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CalendarShow_2026_ListsHolidaysAndMakeUpDays()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, "calendar", "show", "2026", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(7, doc.RootElement.GetProperty("holidays").GetArrayLength());
        Assert.Contains(doc.RootElement.GetProperty("workdays").EnumerateArray(), w => w.GetProperty("date").GetString() == "2026-10-10");
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
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, args);
        Assert.Equal(exitCode, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketsLevel_Five_IsRefusedAndTheTicketUnchanged()
    {
        using var dir = new TempDir();
        await GatewayProcess.RunCliAsync(dir.Path, "tickets", "create", "--channel", "phone", "--kind", "complaint", "--customer-phone", "13800138000", "--subject", "s", "--text", "t");
        var r = await GatewayProcess.RunCliAsync(dir.Path, "tickets", "level", "TG-000001", "5");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("level 5 does not exist", r.Stderr, StringComparison.Ordinal);
        var show = await GatewayProcess.RunCliAsync(dir.Path, "tickets", "show", "TG-000001", "--json");
        using var doc = JsonDocument.Parse(show.Stdout);
        Assert.Equal(1, doc.RootElement.GetProperty("level").GetInt32());
        Assert.Single(doc.RootElement.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task ConfigOption_ExtraJsonFile_ChangesTheReplyDeadline()
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "extra.json");
        await File.WriteAllTextAsync(file, """{ "Sla": { "FirstReply": { "Inquiry": "00:30:00" } } }""");
        var r = await GatewayProcess.RunCliAsync(dir.Path, "--config", file, "tickets", "create", "--channel", "phone", "--kind", "inquiry",
            "--customer-phone", "13800138000", "--subject", "s", "--text", "t", "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var accepted = doc.RootElement.GetProperty("acceptedAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromMinutes(30), doc.RootElement.GetProperty("replyDueAt").GetDateTimeOffset() - accepted);
    }

    [Theory]
    [InlineData("Sla__FirstReply__Fee", "abc", "Sla:FirstReply:Fee")]
    [InlineData("Sla__TimeZone", "Mars/Olympus", "Sla:TimeZone")]
    [InlineData("Storage__MaxBatch", "0", "Storage:MaxBatch")]
    public async Task BadConfiguration_StopsWithOneLineNamingTheKey(string variable, string value, string key)
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, new Dictionary<string, string> { [variable] = value }, "tickets", "list");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(key, line, StringComparison.Ordinal);
    }
}
