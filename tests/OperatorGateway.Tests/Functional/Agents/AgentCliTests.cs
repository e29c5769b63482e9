using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets.Agents;

namespace TicketGateway.OperatorGateway.Tests.Functional.Agents;

/// <summary><c>ticketgw agents ...</c> on the real executable: accounts, passwords from standard input, one-line refusals.</summary>
[RunsLong]
public abstract class AgentCliTests(StoreKind engine)
{
    [Fact]
    public async Task Agents_AddListSetPasswordRoleDisable_ChangeTheAccountAndKeepOnlyAHash()
    {
        using var desk = new Desk(engine);
        await desk.OkAsync("agents", "list");
        var added = await GatewayProcess.RunCliWithInputAsync(desk.Path, desk.Environment(), "s3cret 密码\n",
            "agents", "add", "Wang", "--name", "王五", "--email", "wang@desk.test", "--mobile", "138 0013 8000", "--role", "lead", "--password-stdin");
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Equal("Agent wang <wang@desk.test> added as lead, with a password.", added.Stdout.Trim());
        await desk.OkAsync("agents", "add", "li", "--name", "李四", "--email", "li@desk.test", "--role", "agent");

        using (var list = await desk.JsonAsync("agents", "list", "--json"))
        {
            var rows = list.RootElement.EnumerateArray().ToList();
            Assert.Equal(["li", "wang"], rows.Select(r => r.GetProperty("login").GetString()));
            var wang = rows[1];
            Assert.Equal("王五", wang.GetProperty("name").GetString());
            Assert.Equal("13800138000", wang.GetProperty("mobile").GetString());
            Assert.Equal("lead", wang.GetProperty("role").GetString());
            Assert.True(wang.GetProperty("active").GetBoolean());
            Assert.True(wang.GetProperty("hasPassword").GetBoolean());
            Assert.False(rows[0].GetProperty("hasPassword").GetBoolean());
            Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("mobile").ValueKind);
            Assert.EndsWith("+08:00", wang.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", list.RootElement.GetRawText(), StringComparison.Ordinal);
        }

        Assert.True(Verifies(desk, "wang", "s3cret 密码"));
        Assert.False(Verifies(desk, "wang", "s3cret"));

        var set = await GatewayProcess.RunCliWithInputAsync(desk.Path, desk.Environment(), "new-pass\r\n", "agents", "set-password", "li", "--password-stdin");
        Assert.True(set.ExitCode == 0, set.Stderr);
        Assert.True(Verifies(desk, "li", "new-pass"));
        await desk.OkAsync("agents", "role", "li", "admin");
        await desk.OkAsync("agents", "disable", "wang");

        using var after = await desk.JsonAsync("agents", "list", "--json");
        var byLogin = after.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("login").GetString()!);
        Assert.Equal("admin", byLogin["li"].GetProperty("role").GetString());
        Assert.True(byLogin["li"].GetProperty("hasPassword").GetBoolean());
        Assert.False(byLogin["wang"].GetProperty("active").GetBoolean());
        var text = await desk.RunAsync("agents", "list");
        Assert.Contains("disabled", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 agent(s).", text.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "agents add: An agent with login 'li' already exists.", "", "agents", "add", "LI", "--name", "x", "--email", "x@desk.test", "--role", "agent")]
    [InlineData(1, "agents add: The address LI@desk.test already belongs to agent 'li'.", "", "agents", "add", "zhao", "--name", "x", "--email", "LI@desk.test", "--role", "agent")]
    [InlineData(2, "agents add --role: 'boss' is not a role; use one of agent, lead, admin.", "", "agents", "add", "zhao", "--name", "x", "--email", "z@desk.test", "--role", "boss")]
    [InlineData(2, "agents add: 'zhao.desk.test' is not an email address like agent@example.com.", "", "agents", "add", "zhao", "--name", "x", "--email", "zhao.desk.test", "--role", "agent")]
    [InlineData(2, "agents add: missing required option --role.", "", "agents", "add", "zhao", "--name", "x", "--email", "z@desk.test")]
    [InlineData(2, "agents add: the password read from standard input is empty.", "\n", "agents", "add", "zhao", "--name", "x", "--email", "z@desk.test", "--role", "agent", "--password-stdin")]
    [InlineData(2, "agents set-password: the password read from standard input is empty.", "", "agents", "set-password", "li", "--password-stdin")]
    [InlineData(1, "agents disable: There is no agent with login 'ghost'; run 'ticketgw agents list'.", "", "agents", "disable", "ghost")]
    [InlineData(2, "agents role: 'king' is not a role; use one of agent, lead, admin.", "", "agents", "role", "li", "king")]
    public async Task Agents_WrongInput_IsRefusedWithOneLine(int exitCode, string expected, string stdin, params string[] args)
    {
        using var desk = new Desk(engine);
        await desk.OkAsync("agents", "add", "li", "--name", "李四", "--email", "li@desk.test", "--role", "agent");

        var r = await GatewayProcess.RunCliWithInputAsync(desk.Path, desk.Environment(), stdin, args);

        Assert.Equal(exitCode, r.ExitCode);
        Assert.Equal("ticketgw: " + expected, Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        using var list = await desk.JsonAsync("agents", "list", "--json");
        Assert.Equal(1, list.RootElement.GetArrayLength());
    }

    /// <summary>Reads the stored hash (never the password) and checks it with Identity's hasher, as the web console's log-in will.</summary>
    private static bool Verifies(Desk desk, string login, string password)
    {
        var hash = desk.Db.Scalar("SELECT password_hash FROM agents WHERE login = @l", ("@l", login)) as string;
        Assert.NotNull(hash);
        Assert.DoesNotContain(password, hash, StringComparison.Ordinal);
        return new PasswordHasher<AgentAccount>().VerifyHashedPassword(null!, hash, password) != PasswordVerificationResult.Failed;
    }
}

public sealed class AgentCliTestsOnSqlite() : AgentCliTests(StoreKind.Sqlite);

public sealed class AgentCliTestsOnPostgres() : AgentCliTests(StoreKind.Postgres);
