using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace TicketGateway.TestSupport;

/// <summary>
/// A real PostgreSQL 15 on 127.0.0.1, one per test process: started by the project's
/// <c>scripts/testservers/postgres.sh</c> on first use of <see cref="Shared"/>, shared by every test
/// class of the process, stopped (and its folder removed) when the process exits. A test that stops or
/// restarts its server while the others run takes one of its own (<see cref="StartPrivate"/>). Each test class
/// takes its own database from <see cref="CreateDatabase"/>, so classes stay independent and parallel.
/// The superuser's password is random per run and never written to a log.
/// <see cref="Stop"/>, <see cref="Start"/> and <see cref="Restart"/> act on the server every test class of the
/// process shares: tests that call them belong in a collection defined with <c>DisableParallelization = true</c>
/// (named <see cref="FaultsCollection"/>), which xunit runs alone after the parallel ones.
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    public const string User = "tg";

    /// <summary>The name of the test collection that may stop the shared server.</summary>
    public const string FaultsCollection = "PostgreSQL faults";

    private static readonly Lazy<string?> Unavailable = new(FindWhyUnavailable);
    private static readonly Lazy<PostgresServer> Instance = new(StartShared, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly TempDir _dir = new();
    private readonly string _password = RandomNumberGenerator.GetHexString(32, lowercase: true);
    private readonly Lock _gate = new();
    private readonly bool _shared;
    private int _databases;

    private PostgresServer(bool shared) => _shared = shared;

    /// <summary>The process's server, started on first use (about 2 s: initdb, then start).</summary>
    public static PostgresServer Shared => Instance.Value;

    /// <summary>
    /// A server of the caller's own (about 2 s of CPU: initdb, then start), so that a test can stop or restart it
    /// while the other test classes go on on the shared one; disposing it stops it and removes its folder.
    /// </summary>
    public static PostgresServer StartPrivate() => StartNew(shared: false);

    /// <summary>False where the PostgreSQL 15 binaries (or the postgres user) are missing; see <see cref="UnavailableReason"/>.</summary>
    public static bool IsAvailable => Unavailable.Value is null;

    /// <summary>One line saying why the server cannot run here, or null when it can.</summary>
    public static string? UnavailableReason => Unavailable.Value;

    public static string Script => Path.Combine(SmtpSink.RepoRoot, "scripts", "testservers", "postgres.sh");

    /// <summary>Where Debian's postgresql-15 keeps the server and its client programs (as postgres.sh).</summary>
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    public int Port { get; private set; }

    /// <summary>The superuser on the <c>postgres</c> database, for what a test does outside its own database.</summary>
    public string AdminConnectionString => ConnectionString("postgres", pooling: true);

    /// <summary>Creates a fresh, empty database with a name no other caller gets; returns an Npgsql connection string for it.</summary>
    public string CreateDatabase()
    {
        var name = "tg_test_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        // The name is ours (a counter), never input: it can be spliced into the statement.
        Admin($"CREATE DATABASE {name}");
        return ConnectionString(name, pooling: true);
    }

    /// <summary>Drops a database <see cref="CreateDatabase"/> made, ending any session still on it (pooled ones too).</summary>
    public void DropDatabase(string name)
    {
        if (!name.StartsWith("tg_test_", StringComparison.Ordinal) || !name[8..].All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"{name} is not a database CreateDatabase made.", nameof(name));
        }

        using (var pooled = new NpgsqlConnection(ConnectionString(name, pooling: true)))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        Admin($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    /// <summary>
    /// Writes <paramref name="database"/> (a database <see cref="CreateDatabase"/> made) as a plain SQL script
    /// to <paramref name="file"/>, schema and rows, without owners or grants (<c>pg_dump</c> of this server).
    /// </summary>
    public void Dump(string database, string file)
    {
        var (exitCode, _, stderr) = RunClient("pg_dump", ["--no-owner", "--no-privileges", "--file", file, "--dbname", database]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump of {database} failed ({exitCode}): {stderr}");
        }
    }

    /// <summary>
    /// Runs the SQL script <paramref name="file"/> in <paramref name="database"/> in one transaction (<c>psql
    /// --single-transaction</c>, stopping at the first error); false, with nothing changed, when a statement failed.
    /// </summary>
    public bool TryApplyScript(string database, string file) =>
        RunClient("psql", ["-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1", "--file", file, "--dbname", database]).ExitCode == 0;

    // A client program of the server's version on this server, as the test user; the password through the
    // environment (never the command line, which ps shows).
    private (int ExitCode, string Stdout, string Stderr) RunClient(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(BinDirectory, program)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--host", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--username", User, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = _password;
        start.Environment["PGCONNECT_TIMEOUT"] = "30";
        return Run(start);
    }

    /// <summary>
    /// Fast shutdown: sessions are ended, committed data stays. As in production, Npgsql's pool keeps the
    /// connections opened before: the first command on each fails (57P01) once the server is back,
    /// unless the test clears the pool (<see cref="NpgsqlConnection.ClearPool"/>).
    /// </summary>
    public void Stop()
    {
        lock (_gate)
        {
            RunScript("stop");
        }
    }

    /// <summary>Starts the server again on the same port and folder, with everything committed before <see cref="Stop"/>.</summary>
    public void Start()
    {
        lock (_gate)
        {
            RunScript("start", Port.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A fast stop, then a start on the same port and folder, as an operator's restart of the database.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            RunScript("restart");
        }
    }

    public void Dispose()
    {
        // A private server's databases have connection strings of their own (its port): their pooled
        // connections are never handed out again, and the shared server's pools stay as they are.
        if (_shared)
        {
            NpgsqlConnection.ClearAllPools();
        }

        try
        {
            Stop();
        }
        finally
        {
            _dir.Dispose();
        }
    }

    private static PostgresServer StartShared()
    {
        var server = StartNew(shared: true);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }

    private static PostgresServer StartNew(bool shared)
    {
        if (UnavailableReason is { } reason)
        {
            throw new InvalidOperationException("PostgreSQL cannot run here: " + reason);
        }

        var server = new PostgresServer(shared);
        try
        {
            server.StartFirst();
        }
        catch
        {
            server._dir.Dispose();
            throw;
        }

        return server;
    }

    // A free port from the OS can be taken by a parallel test process before postgres binds it (exit 3): choose again.
    private void StartFirst()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = Ports.Closed();
            var (exitCode, _, stderr) = TryRunScript("start", Port.ToString(CultureInfo.InvariantCulture));
            if (exitCode == 0)
            {
                return;
            }

            if (exitCode != 3 || attempt == 5)
            {
                throw new InvalidOperationException($"postgres.sh start failed ({exitCode}): {stderr}");
            }
        }
    }

    private string ConnectionString(string database, bool pooling) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Password = _password,
        Database = database,
        Pooling = pooling,
    }.ConnectionString;

    // Unpooled: after a Restart a pooled admin connection would be a dead one.
    private void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres", pooling: false));
        connection.Open();
        // CREATE and DROP DATABASE checkpoint (fsync on): under a parallel test run they can take longer than Npgsql's 30 s default.
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 180 };
        command.ExecuteNonQuery();
    }

    private void RunScript(params string[] arguments)
    {
        var (exitCode, _, stderr) = TryRunScript(arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"postgres.sh {arguments[0]} failed ({exitCode}): {stderr}");
        }
    }

    private (int ExitCode, string Stdout, string Stderr) TryRunScript(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(arguments[0]);
        start.ArgumentList.Add(_dir.Path);
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // Through the environment, not the command line: ps shows every process's arguments.
        start.Environment["TG_PG_USER"] = User;
        start.Environment["TG_PG_PASSWORD"] = _password;
        // The script's watcher stops the server and removes its folder once this process is gone, even
        // when the ProcessExit handler below is cut short (the test runner kills its host soon after the run).
        start.Environment["TG_PG_OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return Run(start);
    }

    private static string? FindWhyUnavailable()
    {
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Script);
            start.ArgumentList.Add("check");
            var (exitCode, stdout, _) = Run(start);
            return exitCode == 0 ? null : stdout.Trim();
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            return ex.Message;
        }
    }

    // pg_ctl waits at most 30 s per step (-t 30) and a restart has two: 75 s bounds the whole script.
    private static (int ExitCode, string Stdout, string Stderr) Run(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(75)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(start.FileName)} {start.ArgumentList[0]} {start.ArgumentList[1]} did not finish within 75 s.");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult(), errors.GetAwaiter().GetResult());
    }
}
