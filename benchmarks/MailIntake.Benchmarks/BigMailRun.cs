using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TicketGateway.MailIntake.Benchmarks;

/// <summary>Peak memory (VmHWM) of a fresh process while the intake takes one 25 MB mail.</summary>
internal static class BigMailRun
{
    public static async Task<int> SpawnAsync()
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(typeof(BigMailRun).Assembly.Location);
        start.ArgumentList.Add("big");
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    public static async Task<int> RunAsync()
    {
        await using var dovecot = await Dovecot.StartAsync();
        dovecot.Deliver(s => WriteBigMail(s, 25 * 1024 * 1024));
        var data = Directory.CreateTempSubdirectory("tg-bench-big-").FullName;
        try
        {
            var before = PeakKb();
            using var host = IntakeHost.Build(dovecot, data, new Dictionary<string, string?> { ["Mail:Intake:MaxAttachmentSize"] = "31457280", ["Mail:Intake:MaxAttachmentsPerMail"] = "31457280" });
            var clock = Stopwatch.StartNew();
            await host.StartAsync();
            while ((dovecot.Count("INBOX") > 0 || IntakeHost.Count(data, "SELECT COUNT(*) FROM mail_inbound") < 1) && clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(20);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            await host.StopAsync();
            var outcome = IntakeHost.Count(data, "SELECT COUNT(*) FROM mail_inbound WHERE outcome = 'created' AND raw_path IS NOT NULL");
            var kept = IntakeHost.Count(data, "SELECT COALESCE(SUM(LENGTH(content)), 0) FROM attachments");
            Console.WriteLine($"25 MB mail:            {seconds:F2} s, ticket created: {outcome == 1}, raw spooled to a file, attachment bytes kept in the store: {kept}");
            Console.WriteLine($"peak memory (VmHWM):   {PeakKb() / 1024} MB for the whole process ({before / 1024} MB before the mail)");
            return outcome == 1 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    // A short text and one attachment: base64 of random bytes, written in pieces so this process
    // never holds the mail (its peak memory is what is measured).
    private static void WriteBigMail(Stream stream, int size)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write("From: Big <big@example.cn>\r\nTo: support@example.com\r\nSubject: 投诉 big attachment\r\nMessage-ID: <big-1@example.cn>\r\n");
        writer.Write("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n截图和录音见附件。\r\n");
        writer.Write("--B\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"recording.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        var random = new Random(7);
        var line = new byte[57];
        for (var written = 0L; written < size - 4096; written += 78)
        {
            random.NextBytes(line);
            writer.Write(Convert.ToBase64String(line));
            writer.Write("\r\n");
        }

        writer.Write("--B--\r\n");
    }

    private static long PeakKb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
