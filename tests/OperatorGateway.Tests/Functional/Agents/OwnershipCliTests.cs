using System.Text.Json;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Agents;

/// <summary>Two agents and a lead on the real executable: assign, take, replies, who is recorded as the actor.</summary>
[RunsLong]
public abstract class OwnershipCliTests(StoreKind engine)
{
    [Fact]
    public async Task AssignTakeAndReply_RecordOwnerAndActor_FromAsEnvironmentOrOsUser()
    {
        using var desk = new Desk(engine);
        // Replies configured, with the Agents:0 entry lisi that the CLI imports as an account.
        var env = ReplyStack.Environment(null);
        await desk.InitAsync();
        foreach (var (login, name, role) in new[] { ("li", "李四", "agent"), ("wang", "王五", "agent"), ("zhao", "赵六", "lead") })
        {
            Assert.Equal(0, (await desk.RunAsync(env, "agents", "add", login, "--name", name, "--email", login + "@desk.test", "--role", role)).ExitCode);
        }

        await Create(desk, env, "zhang@customer.test");
        await Create(desk, env, "qian@customer.test");

        // The lead assigns with --as; an agent takes with --as; TICKETGW_AS names the agent otherwise.
        Assert.Equal("TG-000001 is owned by li.", (await Ok(desk, env, "--as", "zhao", "tickets", "assign", "TG-000001", "li")).Trim());
        Assert.Equal("TG-000001 is owned by wang.", (await Ok(desk, env, "tickets", "take", "TG-000001", "--as", "wang")).Trim());
        var withVariable = new Dictionary<string, string>(env) { ["TICKETGW_AS"] = "zhao" };
        await Ok(desk, withVariable, "tickets", "status", "TG-000001", "pending");
        // Anonymous: cli:<os user>.
        await Ok(desk, env, "tickets", "status", "TG-000001", "open");
        // An agent's reply to an unowned ticket makes them the owner.
        await Ok(desk, env, "reply", "TG-000002", "--text", "您好，已处理。", "--as", "li");

        using var show = await desk.JsonAsync("tickets", "show", "TG-000001", "--json");
        Assert.Equal("wang", show.RootElement.GetProperty("owner").GetString());
        var history = show.RootElement.GetProperty("history").EnumerateArray()
            .Select(h => (h.GetProperty("actor").GetString(), h.GetProperty("action").GetString())).ToList();
        Assert.Equal(
            [("cli:" + Environment.UserName, "created"), ("zhao", "owner"), ("wang", "owner"), ("zhao", "status"), ("cli:" + Environment.UserName, "status")],
            history);

        using var second = await desk.JsonAsync("tickets", "show", "TG-000002", "--json");
        Assert.Equal("li", second.RootElement.GetProperty("owner").GetString());
        Assert.Contains(second.RootElement.GetProperty("history").EnumerateArray(),
            h => h.GetProperty("actor").GetString() == "li" && h.GetProperty("detail").GetString() == "owner - -> li (replied)");

        using var wangs = await desk.JsonAsync("tickets", "list", "--owner", "wang", "--json");
        Assert.Equal(["TG-000001"], wangs.RootElement.EnumerateArray().Select(t => t.GetProperty("ref").GetString()));
        await Ok(desk, env, "tickets", "assign", "TG-000001", "--none");
        using var nobody = await desk.JsonAsync("tickets", "list", "--owner", "none", "--json");
        Assert.Equal(["TG-000001"], nobody.RootElement.EnumerateArray().Select(t => t.GetProperty("ref").GetString()));
        Assert.Equal(JsonValueKind.Null, nobody.RootElement[0].GetProperty("owner").ValueKind);
        var table = await Ok(desk, env, "tickets", "list", "--owner", "li");
        Assert.Contains("OWNER", table, StringComparison.Ordinal);
        Assert.Contains("TG-000002", table, StringComparison.Ordinal);
        Assert.DoesNotContain("TG-000001", table, StringComparison.Ordinal);

        // The configured agent lisi can act with --as once imported (the CLI imports what the server has not yet).
        Assert.Equal("TG-000001 is owned by lisi.", (await Ok(desk, env, "--as", "lisi", "tickets", "take", "TG-000001")).Trim());
    }

    [Fact]
    public async Task NoteMergeAndSatisfaction_RecordTheAgentOfAsInTheHistory()
    {
        using var desk = new Desk(engine);
        await desk.InitAsync();
        await desk.OkAsync("agents", "add", "li", "--name", "李四", "--email", "li@desk.test", "--role", "agent");
        foreach (var phone in new[] { "13800138000", "13800138001" })
        {
            await desk.OkAsync("tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", phone, "--subject", "问询", "--text", "问询");
        }

        await desk.OkAsync("tickets", "note", "TG-000001", "--text", "客户说明天再来电", "--as", "li");
        await desk.OkAsync("tickets", "merge", "TG-000002", "--into", "TG-000001", "--as", "li");
        await desk.OkAsync("tickets", "resolve", "TG-000001", "--text", "已告知", "--as", "li");
        await desk.OkAsync("tickets", "satisfaction", "TG-000001", "satisfied", "--as", "li");

        using var show = await desk.JsonAsync("tickets", "show", "TG-000001", "--json");
        var history = show.RootElement.GetProperty("history").EnumerateArray()
            .Select(h => (Actor: h.GetProperty("actor").GetString(), Action: h.GetProperty("action").GetString(), Detail: h.GetProperty("detail").GetString())).ToList();
        // Everything after the two creations (the CLI's anonymous user) was done by li: the note, the
        // merge, the resolution and the satisfaction answer.
        Assert.All(history.Where(h => h.Action != "created"), h => Assert.True(h.Actor == "li", $"{h.Action} ({h.Detail}) recorded as {h.Actor}"));
        Assert.Contains(history, h => h.Action == "satisfaction");
        Assert.Contains(history, h => h.Action == "merged");
        Assert.Contains(history, h => h.Detail?.Contains("internal note", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData(2, "--as: there is no agent with login 'ghost'; run 'ticketgw agents list'.", "--as", "ghost", "tickets", "take", "TG-000001")]
    [InlineData(2, "--as: the agent 'wang' is disabled.", "--as", "wang", "tickets", "status", "TG-000001", "open")]
    [InlineData(2, "TICKETGW_AS: there is no agent with login 'ghost'; run 'ticketgw agents list'.", "env:ghost", "tickets", "status", "TG-000001", "open")]
    [InlineData(2, "tickets take: say who takes it with --as LOGIN (or TICKETGW_AS).", "", "tickets", "take", "TG-000001")]
    [InlineData(2, "tickets assign: give exactly one of LOGIN or --none.", "", "tickets", "assign", "TG-000001", "li", "--none")]
    [InlineData(1, "There is no agent with login 'ghost'; run 'ticketgw agents list'.", "", "tickets", "assign", "TG-000001", "ghost")]
    public async Task ActingAsAnUnknownOrDisabledAgent_IsRefusedWithOneLineAndChangesNothing(int exitCode, string expected, string mode, params string[] args)
    {
        using var desk = new Desk(engine);
        await desk.OkAsync("agents", "add", "li", "--name", "李四", "--email", "li@desk.test", "--role", "agent");
        await desk.OkAsync("agents", "add", "wang", "--name", "王五", "--email", "wang@desk.test", "--role", "agent");
        await desk.OkAsync("agents", "disable", "wang");
        await desk.OkAsync("tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", "13800138000", "--subject", "问询", "--text", "问询");
        var env = new Dictionary<string, string>();
        if (mode.StartsWith("env:", StringComparison.Ordinal))
        {
            env["TICKETGW_AS"] = mode[4..];
        }

        var r = await desk.RunAsync(env, mode.StartsWith('-') ? ["--as", .. args] : args);

        Assert.Equal(exitCode, r.ExitCode);
        Assert.Equal("ticketgw: " + expected, Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        using var show = await desk.JsonAsync("tickets", "show", "TG-000001", "--json");
        Assert.Equal("created", Assert.Single(show.RootElement.GetProperty("history").EnumerateArray()).GetProperty("action").GetString());
    }

    private static Task<string> Create(Desk desk, Dictionary<string, string> env, string email) =>
        Ok(desk, env, "tickets", "create", "--channel", "email", "--kind", "inquiry", "--customer-email", email, "--subject", "问询", "--text", "请问");

    private static async Task<string> Ok(Desk desk, Dictionary<string, string> env, params string[] args)
    {
        var r = await desk.RunAsync(env, args);
        Assert.True(r.ExitCode == 0, $"ticketgw {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        return r.Stdout;
    }
}

public sealed class OwnershipCliTestsOnSqlite() : OwnershipCliTests(StoreKind.Sqlite);

public sealed class OwnershipCliTestsOnPostgres() : OwnershipCliTests(StoreKind.Postgres);
