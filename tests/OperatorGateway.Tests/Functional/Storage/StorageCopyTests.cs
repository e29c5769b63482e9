using System.Text.Json;
using System.Text.RegularExpressions;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Storage;

/// <summary>
/// <c>ticketgw storage copy</c>: a SQLite desk made by running the product moves into an empty
/// PostgreSQL database, and the CLI then reads the same tickets there. The source is SQLite by
/// definition (moving a desk off SQLite is the point), so these tests do not run once per engine.
/// </summary>
public sealed class StorageCopyTests
{
    private static readonly string[] Filled = ["tickets", "messages", "history", "outbox", "operator_complaints", "attachments", "operator_updates"];

    [PostgresFact]
    public async Task Copy_ServedDeskOfEveryChannel_CountsEqualAndTheTargetServesTheSameTickets()
    {
        // The gateway keeps serving the SQLite desk during the copy: the copy reads one snapshot. Its alert
        // scan runs at start only: TG-000002's deadlines are long past, and a scan between the copy and the
        // comparison below would add an alert line to the source's history that the copy cannot have.
        await using var rig = await ExchangeRig.StartAsync(StoreKind.Sqlite, ("Alerts__ScanInterval", "01:00:00"));
        var desk = rig.Desk;
        var complaint = await rig.A.SubmitComplaintAsync(Exchange.Complaint("COPY-1"));
        await desk.OkAsync("tickets", "create", "--channel", "phone", "--kind", "complaint", "--level", "1",
            "--customer-phone", "13800138000", "--subject", "扣费投诉", "--text", "未订购却扣费", "--accepted", "2026-09-30T10:00:00+08:00");
        await desk.OkAsync("tickets", "level", "TG-000002", "3");
        await desk.OkAsync("tickets", "create", "--channel", "email", "--kind", "inquiry",
            "--customer-email", "li@example.test", "--subject", "话费查询", "--text", "想查本月话费");
        // A mail reply puts the answer (and the survey) in the outbox.
        var mail = new Dictionary<string, string> { ["Mail__SupportAddress"] = "support@desk.test", ["Mail__ReplyTokenSecret"] = "copy-test-secret-0123456789" };
        var replied = await desk.RunAsync(mail, "reply", "TG-000003", "--text", "本月话费 58 元。", "--resolve");
        Assert.True(replied.ExitCode == 0, replied.Stderr);
        await desk.OkAsync("tickets", "resolve", complaint.TicketRef, "--text", "已核实误扣，退费 10 元。");
        var target = PostgresServer.Shared.CreateDatabase();
        var onTarget = new Dictionary<string, string> { ["Storage__Provider"] = "PostgreSQL", ["Storage__ConnectionString"] = target };

        using (var copied = await desk.JsonAsync("storage", "copy", "--to", target, "--json"))
        {
            var tables = copied.RootElement.GetProperty("tables").EnumerateArray()
                .ToDictionary(t => t.GetProperty("table").GetString()!, t => (Source: t.GetProperty("source").GetInt64(), Target: t.GetProperty("target").GetInt64()));
            Assert.True(copied.RootElement.GetProperty("countsEqual").GetBoolean());
            Assert.Equal(tables.Count, copied.RootElement.GetProperty("tableCount").GetInt32());
            Assert.Equal(tables.Values.Sum(t => t.Source), copied.RootElement.GetProperty("rows").GetInt64());
            Assert.All(tables, t => Assert.Equal(t.Value.Source, t.Value.Target));
            Assert.All(Filled, name => Assert.True(tables.TryGetValue(name, out var c) && c.Source > 0, $"{name} was not filled by the desk or not copied"));
            Assert.Equal(3, tables["tickets"].Source);
            Assert.DoesNotContain("schema_migrations", tables.Keys);
            // Parents first: tickets before every table that refers to them.
            var order = tables.Keys.ToList();
            Assert.All(Filled.Skip(1), name => Assert.True(order.IndexOf("tickets") < order.IndexOf(name), $"{name} was copied before tickets"));
        }

        foreach (var args in new[] { new[] { "tickets", "list", "--json" }, ["tickets", "show", "TG-000002", "--json"], ["tickets", "show", "TG-000003", "--json"] })
        {
            var source = await desk.RunAsync(args);
            var copy = await desk.RunAsync(onTarget, args);
            Assert.True(copy.ExitCode == 0, $"on PostgreSQL: ticketgw {string.Join(' ', args)} exited {copy.ExitCode}: {copy.Stderr}");
            Assert.Equal(source.Stdout, copy.Stdout);
        }

        // The identity sequence continues after the copied ids.
        var created = await desk.RunAsync(onTarget,
            "tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13900139000", "--subject", "新工单", "--text", "迁移后第一张");
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.StartsWith("TG-000004 created", created.Stdout, StringComparison.Ordinal);

        var again = await desk.RunAsync("storage", "copy", "--to", target);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal("", again.Stdout);
        var line = Assert.Single(again.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is not empty", line, StringComparison.Ordinal);
        Assert.Contains("tickets", line, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Copy_NewDesk_PrintsTheCountsTableAndTheTotal()
    {
        using var desk = new Desk(StoreKind.Sqlite);
        await desk.OkAsync("tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13800138000", "--subject", "s", "--text", "t");

        var r = await desk.RunAsync("storage", "copy", "--to", PostgresServer.Shared.CreateDatabase());

        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^TABLE\s+SOURCE\s+TARGET$", lines[0]);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^tickets\s+1\s+1$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^history\s+(\d+)\s+\1$"));
        Assert.Matches(@$"^Copied {lines.Length - 2} tables, [\d,]+ rows; counts equal\.$", lines[^1]);
    }

    [Fact]
    public async Task Copy_UnreachableTarget_ExitsTwoWithOneLineNamingTo()
    {
        using var dir = new TempDir();
        var r = await GatewayProcess.RunCliAsync(dir.Path, "storage", "copy", "--to", $"Host=127.0.0.1;Port={Ports.Closed()};Database=desk;Username=tg");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("ticketgw: storage copy --to: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_WithoutTo_ExitsTwoAndHelpExplainsTheSnapshot()
    {
        using var dir = new TempDir();
        var missing = await GatewayProcess.RunCliAsync(dir.Path, "storage", "copy");
        var help = await GatewayProcess.RunCliAsync(dir.Path, "storage", "copy", "--help");
        var group = await GatewayProcess.RunCliAsync(dir.Path, "storage", "--help");

        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("ticketgw: storage copy: missing required option --to.", missing.Stderr.Trim());
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("EMPTY PostgreSQL database", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("one snapshot", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--to <CONNECTION_STRING>", help.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, group.ExitCode);
        Assert.Contains("copy", group.Stdout, StringComparison.Ordinal);
    }
}
