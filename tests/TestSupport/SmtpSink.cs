using System.Diagnostics;
using System.Text.RegularExpressions;
using MimeKit;

namespace TicketGateway.TestSupport;

/// <summary>
/// The project's SMTP sink (<c>scripts/testservers/smtp-sink.sh</c>, Debian's aiosmtpd) on a loopback
/// port: every accepted mail is a file in <see cref="MailDir"/>. It can be stopped and started again on
/// the same port, as a real SMTP server going down and coming back.
/// </summary>
internal sealed partial class SmtpSink : IAsyncDisposable
{
    private string[] _options;
    private Process? _process;

    private SmtpSink(string mailDir, string[] options)
    {
        MailDir = mailDir;
        _options = options;
    }

    public string MailDir { get; }

    public int Port { get; private set; }

    public static async Task<SmtpSink> StartAsync(string mailDir, params string[] options)
    {
        var sink = new SmtpSink(mailDir, options);
        await sink.StartAsync();
        return sink;
    }

    /// <summary>Starts (again) on the same port, or a free one the first time.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoRoot, "scripts", "testservers", "smtp-sink.sh"));
        start.ArgumentList.Add(MailDir);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var o in _options)
        {
            start.ArgumentList.Add(o);
        }

        _process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } m)
            {
                Port = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                _ = _process.StandardError.ReadToEndAsync(CancellationToken.None);
                return;
            }
        }

        throw new InvalidOperationException("the SMTP sink did not start: " + await _process.StandardError.ReadToEndAsync(timeout.Token));
    }

    /// <summary>Stops the server and starts it again on the same port with other options (e.g. refusing recipients, or no longer).</summary>
    public async Task RestartAsync(params string[] options)
    {
        await StopAsync();
        _options = options;
        await StartAsync();
    }

    /// <summary>Stops the server (its port refuses connections until <see cref="StartAsync()"/>).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Every mail received so far, parsed.</summary>
    public IReadOnlyList<MimeMessage> Mails() =>
        [.. Directory.Exists(MailDir)
            ? Directory.GetFiles(MailDir, "*.eml").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))
            : []];

    /// <summary>Waits (bounded) until <paramref name="done"/> holds for the received mail.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(Func<IReadOnlyList<MimeMessage>, bool> done, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var mails = Mails();
            if (done(mails))
            {
                return mails;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"the SMTP sink holds {mails.Count} mail(s), not what the test waits for: " + string.Join(" | ", mails.Select(m => $"{m.To} {m.Subject}")));
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TicketGateway.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("TicketGateway.sln not found above " + AppContext.BaseDirectory);
        }
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
