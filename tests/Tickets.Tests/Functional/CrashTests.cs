using System.Diagnostics;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional;

/// <summary>
/// Kills a process that writes as fast as it can with SIGKILL, several times over one database,
/// and checks that every change it acknowledged is there, whole, and that nothing is half-written.
/// </summary>
public abstract class CrashTests(StoreKind engine)
{
    [Fact]
    public async Task KillDashNine_DuringManyWrites_LeavesEveryAcknowledgedChangeAndNoHalfChange()
    {
        var dir = Directory.CreateTempSubdirectory("tg-crash-").FullName;
        var db = TestDatabase.Create(engine, dir, "crash.db");
        var acked = new HashSet<string>();
        try
        {
            for (var round = 1; round <= 3; round++)
            {
                var before = acked.Count;
                acked.UnionWith(await RunAndKillAsync(db, atLeast: 500));
                Assert.True(acked.Count >= before + 500, $"round {round}: the writer acknowledged only {acked.Count - before} changes");

                using var c = db.OpenConnection();
                if (engine == StoreKind.Sqlite)
                {
                    // The file the killed process wrote itself; on PostgreSQL the server owns the files and the killed client only loses its session.
                    Assert.Equal("ok", c.Scalar("PRAGMA integrity_check"));
                    Assert.Null(c.Scalar("PRAGMA foreign_key_check"));
                }

                // Every acknowledged ticket is there with both of its changes.
                var levels = new Dictionary<string, (long Level, long History, long Messages)>();
                using (var cmd = c.Command("""
                    SELECT t.id, t.level,
                           (SELECT COUNT(*) FROM history h WHERE h.ticket_id = t.id),
                           (SELECT COUNT(*) FROM messages m WHERE m.ticket_id = t.id)
                    FROM tickets t
                    """))
                using (var r = cmd.ExecuteReader())
                {
                    while (r.Read())
                    {
                        levels[TicketReference.Format(r.GetInt64(0))] = (r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
                    }
                }

                foreach (var reference in acked)
                {
                    Assert.True(levels.TryGetValue(reference, out var row), $"{reference} was acknowledged but is missing after kill -9");
                    Assert.Equal((3L, 2L, 1L), row);
                }

                // Changes the writer had not yet seen acknowledged are either whole or absent: a ticket
                // exists only with its creation history and message; level 3 only with its level line.
                foreach (var (reference, row) in levels)
                {
                    Assert.True(row is (1, 1, 1) or (3, 2, 1), $"{reference} is half-written: level {row.Level}, {row.History} history lines, {row.Messages} messages");
                }
            }
        }
        finally
        {
            TestDatabase.ClearPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<List<string>> RunAndKillAsync(TestDatabase db, int atLeast)
    {
        var writer = Path.Combine(TestPaths.BuildOutput("Tools/StoreWriter"), "TicketGateway.StoreWriter.dll");
        Assert.True(File.Exists(writer), $"the store writer is not built at {writer}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(writer);
        start.ArgumentList.Add(db.Provider);
        start.ArgumentList.Add(db.ConnectionString);
        start.ArgumentList.Add("4");
        using var process = Process.Start(start)!;
        var refs = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (refs.Count < atLeast)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    Assert.Fail($"the writer stopped early: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
                }

                if (line!.StartsWith("acked ", StringComparison.Ordinal))
                {
                    refs.Add(line[6..]);
                }
            }
        }
        finally
        {
            // SIGKILL on Linux: no finaliser, no flush, no dispose runs in the writer.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // Lines already in the pipe were acknowledged before the kill too.
        var tail = await process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        refs.AddRange(tail.Split('\n').Where(l => l.StartsWith("acked ", StringComparison.Ordinal)).Select(l => l[6..].Trim()));
        return refs;
    }
}

public sealed class CrashTestsOnSqlite() : CrashTests(StoreKind.Sqlite);

public sealed class CrashTestsOnPostgres() : CrashTests(StoreKind.Postgres);
