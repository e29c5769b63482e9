using System.Diagnostics;
using System.Globalization;

namespace TicketGateway.TestSupport;

/// <summary>
/// A real Dovecot on 127.0.0.1, started by the project's <c>scripts/testservers/dovecot.sh</c> in a
/// temporary folder (user <c>support</c>, password <c>secret</c>). Mail is delivered by writing
/// Maildir files directly (tmp/, then a rename into new/), in UID order.
/// </summary>
internal sealed class DovecotServer : IAsyncDisposable
{
    public const string User = "support";
    public const string Password = "secret";

    // On tmpfs when there is one: on this VM's disk Dovecot's own Maildir MOVE costs 1-2 ms per mail
    // (link and rename), which would measure the disk, not the intake.
    private readonly string _dir = NewDir("tg-dovecot-");
    private int _sequence;

    private DovecotServer()
    {
    }

    public int Port { get; private set; }

    public string Maildir => Path.Combine(_dir, "mail", "support", "Maildir");

    public static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "scripts", "testservers", "dovecot.sh");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("scripts/testservers/dovecot.sh not found above " + AppContext.BaseDirectory);
        }
    }

    public static async Task<DovecotServer> StartAsync()
    {
        var server = new DovecotServer();
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>The settings that point <c>ticketgw serve</c> at this server.</summary>
    public Dictionary<string, string> GatewayEnvironment(TimeSpan pollInterval) => new()
    {
        ["Mail__Imap__Host"] = "127.0.0.1",
        ["Mail__Imap__Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Mail__Imap__Security"] = "None",
        ["Mail__Imap__Username"] = User,
        ["Mail__Imap__Password"] = Password,
        ["Mail__Imap__PollInterval"] = pollInterval.ToString("c", CultureInfo.InvariantCulture),
        ["Mail__Imap__ReconnectMaxDelay"] = "00:00:01",
        ["Mail__SupportAddress"] = "support@example.com",
        ["Mail__ReplyTokenSecret"] = "intake-tests-reply-token-secret",
    };

    public async Task StartAgainAsync()
    {
        var output = await RunScriptAsync("start");
        Port = int.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    public Task StopAsync() => RunScriptAsync("stop");

    /// <summary>While stopped: forget INBOX's UIDs and indexes, so Dovecot gives it a new UIDVALIDITY on start (as after a mailbox restore).</summary>
    public async Task ResetUidValidityAsync()
    {
        // The master is gone, but an imap child may still write its index on the way out: delete until it stays deleted.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            foreach (var file in Directory.GetFiles(Maildir, "dovecot*"))
            {
                File.Delete(file);
            }

            await Task.Delay(250);
            if (Directory.GetFiles(Maildir, "dovecot*").Length == 0)
            {
                // Dovecot takes the current Unix second as the new UIDVALIDITY: let the second of the old one pass.
                await Task.Delay(1100);
                return;
            }
        }

        throw new InvalidOperationException("Dovecot's index files keep coming back.");
    }

    /// <summary>Puts a mail into INBOX as a delivery agent would.</summary>
    public void Deliver(byte[] raw) => Deliver(raw, null);

    /// <summary>Puts a mail into INBOX as a delivery agent would; <paramref name="arrivedAt"/> sets its INTERNALDATE (Dovecot reads a Maildir file's mtime).</summary>
    public void Deliver(byte[] raw, DateTimeOffset? arrivedAt)
    {
        var name = $"1764000000.M{Interlocked.Increment(ref _sequence):D8}P1.test";
        var tmp = Path.Combine(Maildir, "tmp", name);
        File.WriteAllBytes(tmp, raw);
        if (arrivedAt is { } at)
        {
            File.SetLastWriteTimeUtc(tmp, at.UtcDateTime);
        }
        File.Move(tmp, Path.Combine(Maildir, "new", name));
    }

    /// <summary>Mails in a folder (INBOX, or a sub-folder such as Processed).</summary>
    public int Count(string folder)
    {
        var root = folder == "INBOX" ? Maildir : Path.Combine(Maildir, "." + folder);
        // Dovecot creates a folder's directory a moment before its new/ and cur/: count what exists.
        return Files(Path.Combine(root, "new")) + Files(Path.Combine(root, "cur"));

        static int Files(string dir) => Directory.Exists(dir) ? Directory.GetFiles(dir).Length : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Dovecot's last child may still hold a file for a moment; the OS temp cleaner gets it later.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private async Task<string> RunScriptAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(_dir);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dovecot.sh {command} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }

    private static string NewDir(string prefix) =>
        Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory(Path.Combine("/dev/shm", prefix + Guid.NewGuid().ToString("N"))).FullName
            : Directory.CreateTempSubdirectory(prefix).FullName;
}
