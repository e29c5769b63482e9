using System.Diagnostics;
using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace TicketGateway.MailIntake.Benchmarks;

/// <summary>
/// Acknowledgement latency with IDLE: serve (SQLite) with a real SMTP sink; mails from new customers
/// are appended to INBOX by IMAP APPEND one every 50 ms, and each is timed from the moment its
/// APPEND is sent to the moment its acknowledgement is stored by the sink (the sink names each file
/// by its arrival time in ns; the acknowledgement's In-Reply-To names the customer's mail).
/// </summary>
internal static class AckLatencyRun
{
    public static async Task RunAsync(string ticketgw, int mails)
    {
        Console.WriteLine($"acknowledgement latency, {mails} mails one every 50 ms: load average {File.ReadAllText("/proc/loadavg").Trim()}");
        await using var dovecot = await Dovecot.StartAsync();
        var dir = Directory.CreateTempSubdirectory("tg-bench-ack-").FullName;
        var sinkDir = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : dir, $"tg-bench-sink-{Guid.NewGuid():N}");
        using var sink = StartSink(sinkDir, out var sinkPort);
        try
        {
            var settings = BenchStore.Sqlite(dir).Settings();
            foreach (var (k, v) in dovecot.GatewaySettings())
            {
                settings[k] = v;
            }

            settings["Mail__Smtp__Host"] = "127.0.0.1";
            settings["Mail__Smtp__Port"] = sinkPort.ToString(CultureInfo.InvariantCulture);
            settings["Mail__Smtp__Security"] = "None";
            await using var serve = await ServeProcess.StartAsync(ticketgw, dir, settings);

            var sent = await AppendAsync(dovecot.Port, mails);
            var arrived = await WaitForAcknowledgementsAsync(sinkDir, mails);
            var latencies = sent.Select(s => (arrived[s.Key] - s.Value) / 1e6).Order().ToArray();
            Console.WriteLine($"  APPEND to acknowledgement at the sink: p50 {Percentile(latencies, 0.50):F0} ms, p95 {Percentile(latencies, 0.95):F0} ms, max {latencies[^1]:F0} ms over {latencies.Length} mails; VmHWM {serve.PeakMb()} MB");
        }
        finally
        {
            sink.Kill();
            await sink.WaitForExitAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
            Directory.Delete(sinkDir, recursive: true);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    // Message-ID -> Unix time in ns just before its APPEND went out.
    private static async Task<Dictionary<string, long>> AppendAsync(int port, int mails)
    {
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await client.AuthenticateAsync("support", "secret");
        var sent = new Dictionary<string, long>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < mails; i++)
        {
            var wait = TimeSpan.FromMilliseconds(50 * i) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var id = $"latency-{i}@example.cn";
            using var mail = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(
                $"From: Latency {i} <l{i}@example.cn>\r\nTo: support@example.com\r\nSubject: 扣费咨询 {i}\r\nMessage-ID: <{id}>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n请核实本月的信息费。\r\n")));
            sent[id] = UnixNs();
            await client.Inbox.AppendAsync(new AppendRequest(mail));
        }

        await client.DisconnectAsync(true);
        return sent;
    }

    // In-Reply-To -> the sink's arrival time in ns (from the file name).
    private static async Task<Dictionary<string, long>> WaitForAcknowledgementsAsync(string sinkDir, int mails)
    {
        var arrived = new Dictionary<string, long>();
        var read = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        while (arrived.Count < mails)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"only {arrived.Count} of {mails} acknowledgements reached the sink within 60 s");
            }

            foreach (var file in Directory.GetFiles(sinkDir, "*.eml"))
            {
                var name = Path.GetFileName(file);
                if (!name.StartsWith('.') && read.Add(name))
                {
                    using var mail = MimeMessage.Load(file);
                    arrived.TryAdd(mail.InReplyTo ?? name, long.Parse(name[..name.IndexOf('-', StringComparison.Ordinal)], CultureInfo.InvariantCulture));
                }
            }

            await Task.Delay(200);
        }

        return arrived;
    }

    private static long UnixNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static Process StartSink(string dir, out int port)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Dovecot.FindUp("scripts/testservers/smtp-sink.sh"));
        start.ArgumentList.Add(dir);
        var sink = Process.Start(start)!;
        var line = sink.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the SMTP sink did not start");
        port = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        return sink;
    }
}
