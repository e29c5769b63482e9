using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// PostgreSQL's own client programs (<c>pg_dump</c>, <c>pg_restore</c>), found on PATH and run with the
/// store's connection in libpq's environment variables, so the password never shows in a process list.
/// </summary>
internal static class PgTools
{
    /// <summary>The full path of <paramref name="program"/> on PATH.</summary>
    /// <exception cref="StoreException">It is not installed.</exception>
    public static string Find(string program)
    {
        foreach (var folder in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(folder, program);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new StoreException($"{program} is not installed or not on PATH; a PostgreSQL store is backed up and restored with PostgreSQL's own {program} (Debian: apt-get install postgresql-client-15, the server's major version or newer).");
    }

    /// <summary>libpq's environment for the database an Npgsql connection string names (multi-host strings included).</summary>
    public static Dictionary<string, string> Environment(NpgsqlConnectionStringBuilder builder)
    {
        var hosts = new List<string>();
        var ports = new List<string>();
        foreach (var entry in (builder.Host ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Npgsql takes "host:port" per host; libpq takes parallel lists.
            var colon = entry.LastIndexOf(':');
            var bracketed = entry.StartsWith('[');
            if (colon > 0 && (!bracketed || entry[colon - 1] == ']') && int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                hosts.Add(entry[..colon].Trim('[', ']'));
                ports.Add(port.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                hosts.Add(entry.Trim('[', ']'));
                ports.Add(builder.Port.ToString(CultureInfo.InvariantCulture));
            }
        }

        var env = new Dictionary<string, string>
        {
            ["PGHOST"] = string.Join(',', hosts),
            ["PGPORT"] = string.Join(',', ports),
            ["PGCONNECT_TIMEOUT"] = Math.Max(2, builder.Timeout).ToString(CultureInfo.InvariantCulture),
        };
        Add(env, "PGDATABASE", builder.Database);
        Add(env, "PGUSER", builder.Username);
        Add(env, "PGPASSWORD", builder.Password);
        Add(env, "PGSSLMODE", builder.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        });
        Add(env, "PGTARGETSESSIONATTRS", builder.TargetSessionAttributes?.ToLowerInvariant());
        return env;
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/>; a non-zero exit is a <see cref="StoreException"/> quoting its last words.</summary>
    public static async Task RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var path = Find(program);
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start) ?? throw new StoreException($"{path} could not be started.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdout;
        var errors = (await stderr).Trim();
        if (process.ExitCode != 0)
        {
            var last = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
            throw new StoreException($"{program} failed (exit {process.ExitCode}): {last}");
        }
    }

    private static void Add(Dictionary<string, string> env, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            env[key] = value;
        }
    }
}
