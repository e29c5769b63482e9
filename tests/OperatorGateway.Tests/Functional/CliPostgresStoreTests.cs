using System.Diagnostics;
using Npgsql;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// The CLI where its PostgreSQL store is not there yet or the server does not answer: PostgreSQL's
/// counterparts of <see cref="CliSqliteFileTests"/>, one line on stderr and exit code 2.
/// </summary>
public sealed class CliPostgresStoreTests
{
    [PostgresFact]
    public async Task TicketsList_DatabaseWithoutStore_ExitsTwoNamingTheKeyUntilInit()
    {
        using var dir = new TempDir();
        var db = TestDatabase.Create(StoreKind.Postgres, dir.Path);

        var r = await GatewayProcess.RunCliBareAsync(dir.Path, db.Environment, "tickets", "list");
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Storage:ConnectionString", line, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
        Assert.Equal(0L, db.Scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"));

        var init = await GatewayProcess.RunCliBareAsync(dir.Path, db.Environment, "init");
        Assert.True(init.ExitCode == 0, init.Stderr);
        var list = await GatewayProcess.RunCliBareAsync(dir.Path, db.Environment, "tickets", "list");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("0 ticket(s)", list.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tickets", "list")]
    [InlineData("init")]
    public async Task Cli_PostgresPortClosed_ExitsTwoWithOneLineWithinSeconds(params string[] args)
    {
        using var dir = new TempDir();
        var unreachable = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Ports.Closed(),
            Database = "ticketgw",
            Username = "tg",
            Password = "unused",
        }.ConnectionString;
        var env = new Dictionary<string, string> { ["Storage__Provider"] = "PostgreSQL", ["Storage__ConnectionString"] = unreachable };

        var clock = Stopwatch.StartNew();
        var r = await GatewayProcess.RunCliBareAsync(dir.Path, env, args);
        clock.Stop();

        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Storage:ConnectionString", line, StringComparison.Ordinal);
        Assert.DoesNotContain("unused", line, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
        // A refused connection is final: the command says so at once instead of retrying for Npgsql's 15 s timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"ticketgw {string.Join(' ', args)} took {clock.Elapsed} to give up");
    }
}
