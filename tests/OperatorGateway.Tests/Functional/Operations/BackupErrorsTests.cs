namespace TicketGateway.OperatorGateway.Tests.Functional.Operations;

/// <summary><c>backup</c> and <c>restore</c> given what they cannot use: one line saying what is wrong, nothing half done.</summary>
public sealed class BackupErrorsTests
{
    [PostgresFact]
    public async Task Backup_PostgresWithoutPgDumpOnPath_OneLineNamingPgDump()
    {
        using var dir = new TempDir();
        var db = TestDatabase.Create(StoreKind.Postgres, dir.Path);
        var env = new Dictionary<string, string>(db.Environment);
        await GatewayProcess.InitStoreAsync(dir.Path, env);
        env["PATH"] = dir.Path;

        var r = await GatewayProcess.RunCliBareAsync(dir.Path, env, "backup", "desk.tgz");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.StartsWith("ticketgw: pg_dump is not installed or not on PATH;", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Empty(Directory.GetFiles(dir.Path, "desk.tgz*"));
    }

    [Fact]
    public async Task Restore_TornOrForeignFile_OneLineAndNoStore()
    {
        using var dir = new TempDir();
        var served = TestDatabase.Create(StoreKind.Sqlite, Path.Combine(dir.Path, "a"));
        var env = new Dictionary<string, string>(served.Environment);
        await GatewayProcess.InitStoreAsync(dir.Path, env);
        Assert.Equal(0, (await GatewayProcess.RunCliBareAsync(dir.Path, env, "backup", "whole.tgz")).ExitCode);
        var whole = await File.ReadAllBytesAsync(Path.Combine(dir.Path, "whole.tgz"));
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, "torn.tgz"), whole[..(whole.Length / 2)]);
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "notes.txt"), "not a backup");

        var target = TestDatabase.Create(StoreKind.Sqlite, Path.Combine(dir.Path, "b"));
        foreach (var (file, says) in new[] { ("torn.tgz", "is not a readable ticketgw backup"), ("notes.txt", "is not a readable ticketgw backup"), ("missing.tgz", "there is no backup file") })
        {
            var r = await GatewayProcess.RunCliBareAsync(dir.Path, target.Environment, "restore", file);
            Assert.True(r.ExitCode == 2, $"{file}: exit {r.ExitCode}: {r.Stderr}");
            Assert.Contains(says, r.Stderr, StringComparison.Ordinal);
            Assert.Single(r.Stderr.Trim().Split('\n'));
            Assert.False(File.Exists(target.FilePath), $"{file} left a store behind");
        }

        var again = await GatewayProcess.RunCliBareAsync(dir.Path, env, "backup", "whole.tgz");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists already", again.Stderr, StringComparison.Ordinal);
    }
}
