using System.Diagnostics;
using System.Globalization;

namespace TicketGateway.MailIntake.Benchmarks;

/// <summary>A private Dovecot from <c>scripts/testservers/dovecot.sh</c>, fed by writing Maildir files.</summary>
internal sealed class Dovecot : IAsyncDisposable
{
    // On tmpfs when there is one: on this VM's disk Dovecot's own Maildir MOVE costs 1-2 ms per mail
    // (link and rename), which would measure the disk, not the intake.
    private readonly string _dir = NewDir("tg-bench-dovecot-");
    private readonly List<string> _staged = [];
    private int _sequence;

    public int Port { get; private set; }

    public string Maildir => Path.Combine(_dir, "mail", "support", "Maildir");

    public static async Task<Dovecot> StartAsync()
    {
        var d = new Dovecot();
        d.Port = int.Parse((await d.ScriptAsync("start")).Trim(), CultureInfo.InvariantCulture);
        return d;
    }

    /// <summary>The settings that point <c>ticketgw serve</c> at this server's INBOX, as environment variables.</summary>
    public Dictionary<string, string> GatewaySettings() => new()
    {
        ["Mail__SupportAddress"] = "support@example.com",
        ["Mail__ReplyTokenSecret"] = "benchmark-reply-token-secret",
        ["Mail__Imap__Host"] = "127.0.0.1",
        ["Mail__Imap__Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["Mail__Imap__Security"] = "None",
        ["Mail__Imap__Username"] = "support",
        ["Mail__Imap__Password"] = "secret",
    };

    public void Deliver(byte[] raw) => Deliver(s => s.Write(raw));

    public void Deliver(Action<Stream> write) => Publish(Write(write));

    /// <summary>Writes a mail into the Maildir's <c>tmp/</c>, where the server does not see it until <see cref="ReleaseStaged"/>.</summary>
    public void Stage(byte[] raw) => _staged.Add(Write(s => s.Write(raw)));

    /// <summary>Renames every staged mail into <c>new/</c>: they arrive in the INBOX at once.</summary>
    public void ReleaseStaged()
    {
        foreach (var name in _staged)
        {
            Publish(name);
        }

        _staged.Clear();
    }

    private string Write(Action<Stream> write)
    {
        var name = $"1764000000.M{++_sequence:D8}P1.bench";
        using var file = File.Create(Path.Combine(Maildir, "tmp", name));
        write(file);
        return name;
    }

    private void Publish(string name) => File.Move(Path.Combine(Maildir, "tmp", name), Path.Combine(Maildir, "new", name));

    public int Count(string folder)
    {
        var root = folder == "INBOX" ? Maildir : Path.Combine(Maildir, "." + folder);
        return Directory.Exists(root) ? Directory.GetFiles(Path.Combine(root, "new")).Length + Directory.GetFiles(Path.Combine(root, "cur")).Length : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await ScriptAsync("stop");
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> ScriptAsync(string command)
    {
        var script = FindUp("scripts/testservers/dovecot.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(_dir);
        using var p = Process.Start(start)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"dovecot.sh {command} failed");
    }

    public static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }

    private static string NewDir(string prefix) =>
        Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory(Path.Combine("/dev/shm", prefix + Guid.NewGuid().ToString("N"))).FullName
            : Directory.CreateTempSubdirectory(prefix).FullName;
}
