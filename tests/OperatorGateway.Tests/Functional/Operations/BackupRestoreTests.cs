using System.Diagnostics;
using System.Text;
using TicketGateway.OperatorGateway.Tests.Support;
using Xunit.Abstractions;

namespace TicketGateway.OperatorGateway.Tests.Functional.Operations;

/// <summary>
/// Issue 14, must-show 3: <c>ticketgw backup</c> taken from a store being served while mail comes in from a
/// real Dovecot and an operator submits complaints over gRPC, then <c>ticketgw restore</c> into a new, empty
/// store: integrity checked, every ticket acknowledged before the backup began is there, the spool with it.
/// </summary>
[RunsLong]
public abstract class BackupRestoreTests(StoreKind engine, ITestOutputHelper output)
{
    // Small enough that a few test mails go through the spool folder.
    private const int SpoolThreshold = 4096;

    [Fact]
    public async Task Backup_WhileMailIntakeAndOperatorSubmitsRun_RestoresEveryAcknowledgedTicketIntoANewStore()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        await using var peer = await OperatorPeer.StartAsync();
        using var served = new TempDir();
        using var restored = new TempDir();
        var db = TestDatabase.Create(engine, served.Path);
        var environment = Environment(dovecot, peer, db);
        await using var gateway = await GatewayProcess.StartAsync(served.Path, environment);

        var clock = Stopwatch.StartNew();
        using var stopMail = new CancellationTokenSource();
        var delivered = 0;
        var mail = Task.Run(async () =>
        {
            for (var i = 0; i < 2000 && !stopMail.IsCancellationRequested; i++)
            {
                // Every tenth mail is big enough for the spool folder.
                dovecot.Deliver(Mail(i, big: i % 10 == 0));
                Interlocked.Increment(ref delivered);
                await Task.Delay(20, CancellationToken.None);
            }
        });
        var load = new OperatorLoad([gateway.Url], clock, workers: 2);
        HashSet<string> ordersBefore, mailsBefore;
        CliResult backup;
        int okDuringBackup, mailsDuringBackup;
        await using (load)
        {
            await Eventually.WaitAsync(
                () => (load.Ok.Count, db.CountOrMinusOne("SELECT COUNT(*) FROM mail_inbound WHERE raw_path IS NOT NULL AND ticket_id IS NOT NULL")),
                p => p.Item1 >= 10 && p.Item2 >= 2,
                TimeSpan.FromSeconds(60),
                "complaints and spooled mail taken before the backup");

            // A busy machine may answer no call within one short backup (0.4 s on a fast machine): back up again
            // (at most fifteen times) until one ran while a complaint was accepted; the last one is restored.
            var attempt = 0;
            do
            {
                attempt++;
                File.Delete(Path.Combine(served.Path, "desk.tgz"));
                // Acknowledged before the backup began: the operator's OKs, and mail the intake committed.
                ordersBefore = [.. load.Ok];
                mailsBefore = Strings(db, "SELECT message_id FROM mail_inbound WHERE ticket_id IS NOT NULL");
                var okAtStart = load.Ok.Count;
                var mailsAtStart = db.CountOrMinusOne("SELECT COUNT(*) FROM mail_inbound");
                backup = await GatewayProcess.RunCliBareAsync(served.Path, environment, "backup", Path.Combine(served.Path, "desk.tgz"));
                okDuringBackup = load.Ok.Count - okAtStart;
                mailsDuringBackup = (int)(db.CountOrMinusOne("SELECT COUNT(*) FROM mail_inbound") - mailsAtStart);
                output.WriteLine($"backup {attempt}: exit {backup.ExitCode}, {okDuringBackup} complaints OK'd and {mailsDuringBackup} mails taken while it ran");
            }
            while (backup.ExitCode == 0 && okDuringBackup == 0 && attempt < 15);

            await stopMail.CancelAsync();
            await mail;
        }

        output.WriteLine($"backup: exit {backup.ExitCode}, {backup.Stdout.Trim()} {backup.Stderr.Trim()}");
        output.WriteLine($"acknowledged before it began: {ordersBefore.Count} complaints, {mailsBefore.Count} mails; during it: {okDuringBackup} complaints OK'd, {mailsDuringBackup} mails taken; {delivered} mails delivered in all");
        Assert.Equal(0, backup.ExitCode);
        Assert.True(okDuringBackup > 0, "no complaint was accepted while the backup ran");

        var target = TestDatabase.Create(engine, Path.Combine(restored.Path, "data"));
        var targetEnv = Environment(dovecot, peer, target);
        var restore = await GatewayProcess.RunCliBareAsync(restored.Path, targetEnv, "restore", Path.Combine(served.Path, "desk.tgz"));
        output.WriteLine($"restore: exit {restore.ExitCode}\n{restore.Stdout}{restore.Stderr}");
        Assert.Equal(0, restore.ExitCode);
        Assert.Contains("integrity ok, counts equal", restore.Stdout, StringComparison.Ordinal);

        var ordersAfter = Strings(target, "SELECT t.operator_order_id FROM tickets t WHERE t.operator_order_id IS NOT NULL");
        var mailsAfter = Strings(target, "SELECT message_id FROM mail_inbound WHERE ticket_id IS NOT NULL");
        Assert.Empty(ordersBefore.Except(ordersAfter));
        Assert.Empty(mailsBefore.Except(mailsAfter));
        Assert.Equal(
            target.CountOrMinusOne("SELECT COUNT(*) FROM tickets"),
            target.CountOrMinusOne("SELECT COUNT(*) FROM tickets t WHERE EXISTS (SELECT 1 FROM history h WHERE h.ticket_id = t.id)"));

        // The spooled raw mail came along and the restored store points at the new spool folder.
        // Beside the SQLite file in data/, or (PostgreSQL) data/mail-spool under the folder the CLI ran in: the same folder here.
        var spool = Path.Combine(restored.Path, "data", "mail-spool");
        var paths = Strings(target, "SELECT raw_path FROM mail_inbound WHERE raw_path IS NOT NULL");
        Assert.True(paths.Count >= 2, $"only {paths.Count} spooled mails in the restored store");
        Assert.All(paths, p => Assert.True(p.StartsWith(spool + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(p), $"{p} is not a file in {spool}"));

        // Restored means usable: the CLI reads it, and a second restore into it is refused.
        var list = await GatewayProcess.RunCliBareAsync(restored.Path, targetEnv, "tickets", "list", "--json");
        Assert.True(list.ExitCode == 0, list.Stderr);
        var again = await GatewayProcess.RunCliBareAsync(restored.Path, targetEnv, "restore", Path.Combine(served.Path, "desk.tgz"));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is not empty", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_Force_MovesTheOldStoreAsideKeepingItsTickets()
    {
        using var dir = new TempDir();
        var first = TestDatabase.Create(engine, Path.Combine(dir.Path, "data"));
        var env = new Dictionary<string, string>(first.Environment);
        await GatewayProcess.InitStoreAsync(dir.Path, env);
        await CreateTicketAsync(dir.Path, env, "13800138001");
        Assert.Equal(0, (await GatewayProcess.RunCliBareAsync(dir.Path, env, "backup", "one.tgz")).ExitCode);
        await CreateTicketAsync(dir.Path, env, "13800138002");

        var refused = await GatewayProcess.RunCliBareAsync(dir.Path, env, "restore", "one.tgz");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(2, first.CountOrMinusOne("SELECT COUNT(*) FROM tickets"));

        // This process's pooled connection would keep the PostgreSQL database in use, as a running gateway would.
        TestDatabase.ClearPools();
        var forced = await GatewayProcess.RunCliBareAsync(dir.Path, env, "restore", "one.tgz", "--force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        TestDatabase.ClearPools();
        Assert.Equal(1, first.CountOrMinusOne("SELECT COUNT(*) FROM tickets"));
        var aside = forced.Stdout.Split('\n').Single(l => l.StartsWith("The old store was moved aside to ", StringComparison.Ordinal))["The old store was moved aside to ".Length..].TrimEnd('.', '\r');
        output.WriteLine(forced.Stdout);
        var oldStore = engine == StoreKind.Sqlite
            ? TestDatabase.Create(StoreKind.Sqlite, Path.GetDirectoryName(aside)!, Path.GetFileName(aside))
            : null;
        if (oldStore is not null)
        {
            Assert.Equal(2, oldStore.CountOrMinusOne("SELECT COUNT(*) FROM tickets"));
        }
        else
        {
            // PostgreSQL: the old database was renamed; its tickets are still there.
            var name = aside.Split('/')[^1];
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(first.ConnectionString) { Database = name, Pooling = false };
            using var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM tickets", connection);
            Assert.Equal(2L, (long)command.ExecuteScalar()!);
        }
    }

    private static async Task CreateTicketAsync(string dir, Dictionary<string, string> env, string phone)
    {
        var r = await GatewayProcess.RunCliBareAsync(dir, env, "tickets", "create", "--channel", "phone", "--kind", "inquiry", "--customer-phone", phone, "--subject", "咨询扣费", "--text", "用户来电咨询扣费。");
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    private static Dictionary<string, string> Environment(DovecotServer dovecot, OperatorPeer peer, TestDatabase db)
    {
        var environment = dovecot.GatewayEnvironment(TimeSpan.FromSeconds(1));
        foreach (var (key, value) in Exchange.Settings(peer.Url).Concat(db.Environment))
        {
            environment[key] = value;
        }

        environment["Mail__Intake__SpoolThreshold"] = SpoolThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return environment;
    }

    private static byte[] Mail(int i, bool big) => Encoding.UTF8.GetBytes(
        $"From: c{i}@example.cn\r\nTo: support@example.com\r\nSubject: 咨询 {i}\r\nMessage-ID: <b{i}@example.cn>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0800\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + $"第 {i} 位客户的问题\r\n" + (big ? string.Concat(Enumerable.Repeat("详细说明扣费经过。\r\n", 400)) : ""));

    private static HashSet<string> Strings(TestDatabase db, string sql)
    {
        using var connection = db.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}

public sealed class BackupRestoreTestsOnSqlite(ITestOutputHelper output) : BackupRestoreTests(StoreKind.Sqlite, output);

public sealed class BackupRestoreTestsOnPostgres(ITestOutputHelper output) : BackupRestoreTests(StoreKind.Postgres, output);
