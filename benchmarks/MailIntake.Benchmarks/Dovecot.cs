using System.Diagnostics;
using System.Globalization;

namespace TicketGateway.MailIntake.Benchmarks;

/// <summary>A private Dovecot from <c>scripts/testservers/dovecot.sh</c>, fed by writing Maildir files.</summary>
internal sealed class Dovecot : IAsyncDisposable
{
    // On tmpfs when there is one: on this VM's disk Dovecot's own Maildir MOVE costs 1-2 ms per mail
    // (link and rename), which would measure the disk, not the intake.
    private readonly string _dir = NewDir("tg-bench-dovecot-");
    private int _sequence;

    public int Port { get; private set; }

    public string Maildir => Path.Combine(_dir, "mail", "support", "Maildir");

    public static async Task<Dovecot> StartAsync()
    {
        var d = new Dovecot();
        d.Port = int.Parse((await d.ScriptAsync("start")).Trim(), CultureInfo.InvariantCulture);
        return d;
    }

    public void Deliver(byte[] raw) => Deliver(s => s.Write(raw));

    public void Deliver(Action<Stream> write)
    {
        var name = $"1764000000.M{++_sequence:D8}P1.bench";
        var tmp = Path.Combine(Maildir, "tmp", name);
        using (var file = File.Create(tmp))
        {
            write(file);
        }

        File.Move(tmp, Path.Combine(Maildir, "new", name));
    }

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

    private static string FindUp(string relative)
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
