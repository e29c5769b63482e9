namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// The CLI on a SQLite store file that is missing, in a missing folder or read-only: about SQLite files
/// themselves, so SQLite only (<see cref="CliPostgresStoreTests"/> has PostgreSQL's own failures).
/// </summary>
public sealed class CliSqliteFileTests
{
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

    private static void Chattr(string change, string file)
    {
        using var chattr = System.Diagnostics.Process.Start("chattr", [change, file]);
        chattr.WaitForExit();
        Assert.True(chattr.ExitCode == 0, $"chattr {change} {file} failed: this test needs a file system with the immutable attribute (ext4, xfs, btrfs) and CAP_LINUX_IMMUTABLE");
    }
}
