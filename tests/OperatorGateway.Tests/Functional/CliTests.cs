using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task TicketsList_NoStoreInThisFolder_ExitsTwoNamingTheKeyAndPathUntilInit()
    {
        using var dir = new TempDir();
        var store = Path.Combine(dir.Path, "data", "ticketgw.db");
        var r = await GatewayProcess.RunCliBareAsync(dir.Path, null, "tickets", "list");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Storage:ConnectionString", line, StringComparison.Ordinal);
        Assert.Contains(store, line, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
        Assert.False(Directory.Exists(Path.GetDirectoryName(store)), "a CLI command created the store's folder");

        var init = await GatewayProcess.RunCliBareAsync(dir.Path, null, "init");
        Assert.Equal(0, init.ExitCode);
        Assert.Contains(store, init.Stdout, StringComparison.Ordinal);
        var list = await GatewayProcess.RunCliBareAsync(dir.Path, null, "tickets", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("0 ticket(s)", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketsCreate_StoreFolderDoesNotExist_ExitsTwoAndCreatesNothing()
    {
        using var dir = new TempDir();
        var store = Path.Combine(dir.Path, "elsewhere", "ticketgw.db");
        var env = new Dictionary<string, string> { ["Storage__ConnectionString"] = $"Data Source={store}" };
        var r = await GatewayProcess.RunCliBareAsync(dir.Path, env, "tickets", "create", "--channel", "phone", "--kind", "inquiry",
            "--customer-phone", "13800138000", "--subject", "s", "--text", "t");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(store, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "elsewhere")), "a CLI command created the store's folder");
    }

    [Fact]
    public async Task TicketsCreate_ReadOnlyStore_ExitsTwoWithOneLine()
    {
        using var dir = new TempDir();
        Assert.Equal(0, (await GatewayProcess.RunCliBareAsync(dir.Path, null, "init")).ExitCode);
        var store = Path.Combine(dir.Path, "data", "ticketgw.db");
        // Tests run as root, which mode bits (chmod 0444) do not stop. The immutable attribute does:
        // the kernel refuses root's writes too (EPERM), so SQLite opens the file read-only, exactly as
        // it does for a 0444 file under a normal account or a file on a read-only mount.
        Chattr("+i", store);
        try
        {
            var r = await GatewayProcess.RunCliBareAsync(dir.Path, null, "tickets", "create", "--channel", "phone", "--kind", "inquiry",
                "--customer-phone", "13800138000", "--subject", "s", "--text", "t");
            Assert.Equal(2, r.ExitCode);
            var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("read-only", line, StringComparison.Ordinal);
            Assert.Contains(store, line, StringComparison.Ordinal);
        }
        finally
        {
            Chattr("-i", store);
        }
    }

    [Fact]
    public async Task OperatorJson_ChineseText_IsWrittenAsUtf8NotEscaped()
    {
        await using var rig = await ExchangeRig.StartAsync();
        var receipt = await rig.A.SubmitComplaintAsync(Exchange.Complaint("WO-UTF8"));
        foreach (var (expected, args) in new[] { ("您的投诉已受理", new[] { "operator", "updates", receipt.TicketRef, "--json" }), ("未订购却被扣费", ["tickets", "show", receipt.TicketRef, "--json"]) })
        {
            var r = await GatewayProcess.RunCliAsync(rig.Dir.Path, args);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains(expected, r.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u", r.Stdout, StringComparison.Ordinal);
            using var _ = JsonDocument.Parse(r.Stdout);
        }
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

    [Fact]
    public async Task ConfigOption_DocsExample_PassesTheStartUpValidationOfServerAndCli()
    {
        var example = Path.Combine(RepositoryRoot(), "docs", "appsettings.example.json");
        using var dir = new TempDir();
        var store = $"Data Source={Path.Combine(dir.Path, "ticketgw.db")}";

        // The server's own start-up checks (every validated section, the agents, the reply templates),
        // without connecting to the example's mail servers.
        await using (var server = GatewayProgram.BuildServer(["--Storage:ConnectionString=" + store], example))
        {
            _ = server.Services.GetRequiredService<Tickets.Replies.ReplyWorkflow>();
            Assert.Equal("cmcc", Assert.Single(server.Services.GetRequiredService<Operators.OperatorDirectory>().All).Id);
        }

        var env = new Dictionary<string, string> { ["Storage__ConnectionString"] = store };
        Assert.Equal(0, (await GatewayProcess.RunCliBareAsync(dir.Path, env, "--config", example, "init")).ExitCode);
        var list = await GatewayProcess.RunCliBareAsync(dir.Path, env, "--config", example, "tickets", "list");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("0 ticket(s)", list.Stdout, StringComparison.Ordinal);
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

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TicketGateway.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TicketGateway.sln not found above " + AppContext.BaseDirectory);
    }

    private static void Chattr(string change, string file)
    {
        using var chattr = System.Diagnostics.Process.Start("chattr", [change, file]);
        chattr.WaitForExit();
        Assert.True(chattr.ExitCode == 0, $"chattr {change} {file} failed: this test needs a file system with the immutable attribute (ext4, xfs, btrfs) and CAP_LINUX_IMMUTABLE");
    }
}
