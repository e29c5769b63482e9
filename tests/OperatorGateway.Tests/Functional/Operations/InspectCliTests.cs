using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Operations;

/// <summary>
/// <c>ticketgw inspect</c> as the operations engineer runs it, against real servers on loopback: a Dovecot
/// refusing the configured password, an SMTP sink that was stopped, one operator receiver that answers
/// and one whose port nothing listens on.
/// </summary>
public abstract class InspectCliTests(StoreKind engine)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Inspect_WrongImapPasswordStoppedSmtpOperatorDown_EachFailedWithItsReasonEveryOtherCheckOk()
    {
        using var desk = new Desk(engine);
        await using var dovecot = await DovecotServer.StartAsync();
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"));
        var smtpPort = sink.Port;
        await sink.StopAsync();
        await using var peer = await OperatorPeer.StartAsync();
        var downPort = Ports.Closed();

        var env = OperationsSettings.CoveredDesk(desk.Path, DateTimeOffset.UtcNow);
        foreach (var (k, v) in dovecot.GatewayEnvironment(TimeSpan.FromSeconds(5)))
        {
            env[k] = v;
        }

        env["Mail__Imap__Password"] = "not-the-password";
        env["Mail__Smtp__Host"] = "127.0.0.1";
        env["Mail__Smtp__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture);
        env["Mail__Smtp__Security"] = "None";
        env["Operators__0__Id"] = "cmcc-up";
        env["Operators__0__ApiKey"] = "operator-up-key-0123456789";
        env["Operators__0__CallbackAddress"] = peer.Url;
        env["Operators__0__CallbackApiKey"] = "callback-up-key-0123456789";
        env["Operators__1__Id"] = "cmcc-down";
        env["Operators__1__ApiKey"] = "operator-down-key-0123456789";
        env["Operators__1__CallbackAddress"] = $"http://127.0.0.1:{downPort}";
        env["Operators__1__CallbackApiKey"] = "callback-down-key-0123456789";
        env["Operations__CheckTimeout"] = CheckTimeout.ToString("c", CultureInfo.InvariantCulture);

        var clock = Stopwatch.StartNew();
        var r = await desk.RunAsync(env, "inspect", "--json");
        var took = clock.Elapsed;

        Assert.True(r.ExitCode == 1, $"inspect exited {r.ExitCode}: {r.Stderr}");
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal("failed", json.RootElement.GetProperty("result").GetString());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("check").GetString()!, c => (Result: c.GetProperty("result").GetString()!, Detail: c.GetProperty("detail").GetString()!, Ms: c.GetProperty("durationMs").GetInt64()));

        Assert.Equal(
            ["alerts", "calendar", "complaints", "disk:spool", "disk:store", "duty", "imap", "operator-updates", "operator:cmcc-down", "operator:cmcc-up", "outbox", "quarantine", "smtp", "store", "tls:gateway"],
            checks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["imap", "operator:cmcc-down", "smtp"], checks.Where(c => c.Value.Result == "failed").Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.All(checks.Where(c => c.Value.Result != "failed"), c => Assert.True(c.Value.Result == "ok", $"{c.Key}: {c.Value.Result} {c.Value.Detail}"));

        Assert.Contains($"127.0.0.1:{dovecot.Port} as {DovecotServer.User}: the server refused the login", checks["imap"].Detail, StringComparison.Ordinal);
        Assert.Contains("Mail:Imap:Password", checks["imap"].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", r.Stdout, StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{smtpPort}: Connection refused", checks["smtp"].Detail);
        Assert.StartsWith($"http://127.0.0.1:{downPort} does not answer: UNAVAILABLE", checks["operator:cmcc-down"].Detail, StringComparison.Ordinal);
        Assert.Equal($"{peer.Url} answers; no update waiting", checks["operator:cmcc-up"].Detail);
        Assert.StartsWith(engine == StoreKind.Sqlite ? "SQLite " : "PostgreSQL answers", checks["store"].Detail, StringComparison.Ordinal);

        // Each check within its own timeout, and the whole run (process start included) well within one timeout more.
        Assert.All(checks, c => Assert.True(c.Value.Ms < CheckTimeout.TotalMilliseconds, $"{c.Key} took {c.Value.Ms} ms"));
        Assert.True(took < CheckTimeout * 2, $"inspect took {took}");

        // The table: one row per check with its result and duration, and the summary.
        var table = await desk.RunAsync(env, "inspect");
        Assert.Equal(1, table.ExitCode);
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^CHECK\s+RESULT\s+DETAIL\s+DURATION$", lines[0]);
        Assert.Matches(@"^smtp\s+failed\s+127\.0\.0\.1:\d+: Connection refused\s+\d+ ms$", lines.Single(l => l.StartsWith("smtp ", StringComparison.Ordinal)));
        Assert.Equal("3 failed, 0 warning, 12 ok.", lines[^1]);
    }
}

public sealed class InspectCliTestsOnSqlite() : InspectCliTests(StoreKind.Sqlite);

public sealed class InspectCliTestsOnPostgres() : InspectCliTests(StoreKind.Postgres);
