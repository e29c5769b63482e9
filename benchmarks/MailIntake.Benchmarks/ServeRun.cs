using System.Diagnostics;

namespace TicketGateway.MailIntake.Benchmarks;

/// <summary>
/// <c>ticketgw serve</c> from outside against two baselines in the same run: a bare MailKit fetch
/// (a), the same plus a MimeKit parse of every mail (b), then serve on SQLite (c) and, when a
/// cluster is given, on PostgreSQL, each on a fresh Dovecot and a fresh store.
/// </summary>
internal static class ServeRun
{
    public static async Task RunAsync(string ticketgw, int mails, int runs)
    {
        var rows = new List<Row>();
        for (var run = 1; run <= runs; run++)
        {
            Console.WriteLine($"run {run}: load average {File.ReadAllText("/proc/loadavg").Trim()}");
            var (fetch, parse) = await BaselinesAsync(mails);
            var row = new Row(mails / fetch, mails / parse, await IntakeAsync(ticketgw, mails, BenchStore.Sqlite), null);
            Console.WriteLine($"  (a) bare MailKit fetch {row.Fetch,7:F0} mails/s; (b) fetch + MimeKit parse {row.Parse,7:F0} mails/s");
            Print("SQLite", row.Sqlite, row);
            if (BenchStore.PostgresAvailable)
            {
                row = row with { Postgres = await IntakeAsync(ticketgw, mails, _ => BenchStore.Postgres()) };
                Print("PostgreSQL", row.Postgres!, row);
                Console.WriteLine($"  PostgreSQL / SQLite {row.Postgres!.Rate / row.Sqlite.Rate:F2}");
            }

            rows.Add(row);
        }

        Console.WriteLine();
        Console.WriteLine($"median of {runs} runs of {mails} mails:");
        Console.WriteLine($"| engine | (a) fetch mails/s | (b) fetch+parse mails/s | serve mails/s | serve/(a) | serve/(b) | CPU ms/mail | VmHWM MB |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Summary("SQLite", rows, r => r.Sqlite);
        if (rows.All(r => r.Postgres is not null))
        {
            Summary("PostgreSQL", rows, r => r.Postgres!);
            Console.WriteLine($"PostgreSQL / SQLite (median of the runs' ratios): {ThroughputRun.Median(rows.Select(r => r.Postgres!.Rate / r.Sqlite.Rate)):F2}");
        }
    }

    private static void Print(string engine, Intake i, Row row) =>
        Console.WriteLine($"  (c) serve on {engine}: {i.Rate,6:F0} mails/s ({i.Seconds:F2} s), {i.Rate / row.Fetch:P1} of (a), {i.Rate / row.Parse:P1} of (b); CPU {i.CpuMsPerMail:F3} ms/mail; VmHWM {i.PeakMb} MB");

    private static void Summary(string engine, List<Row> rows, Func<Row, Intake> pick) =>
        Console.WriteLine($"| {engine} | {ThroughputRun.Median(rows.Select(r => r.Fetch)):F0} | {ThroughputRun.Median(rows.Select(r => r.Parse)):F0} | {ThroughputRun.Median(rows.Select(r => pick(r).Rate)):F0} "
            + $"| {ThroughputRun.Median(rows.Select(r => pick(r).Rate / r.Fetch)):P1} | {ThroughputRun.Median(rows.Select(r => pick(r).Rate / r.Parse)):P1} "
            + $"| {ThroughputRun.Median(rows.Select(r => pick(r).CpuMsPerMail)):F3} | {rows.Max(r => pick(r).PeakMb)} (max) |");

    private static async Task<(double Fetch, double Parse)> BaselinesAsync(int mails)
    {
        await using var dovecot = await Dovecot.StartAsync();
        for (var i = 0; i < mails; i++)
        {
            dovecot.Deliver(BenchMail.Raw(i));
        }

        var fetch = await ThroughputRun.BareFetchAsync(dovecot.Port, mails, parse: false);
        var parse = await ThroughputRun.BareFetchAsync(dovecot.Port, mails, parse: true);
        return (fetch, parse);
    }

    // Serve starts on an empty INBOX; once ready, every mail arrives at once (Maildir renames) and
    // the clock runs until every mail is in Processed. The store is checked afterwards.
    private static async Task<Intake> IntakeAsync(string ticketgw, int mails, Func<string, BenchStore> newStore)
    {
        await using var dovecot = await Dovecot.StartAsync();
        for (var i = 0; i < mails; i++)
        {
            dovecot.Stage(BenchMail.Raw(i));
        }

        var dir = Directory.CreateTempSubdirectory("tg-bench-serve-").FullName;
        try
        {
            var store = newStore(dir);
            var settings = store.Settings();
            foreach (var (k, v) in dovecot.GatewaySettings())
            {
                settings[k] = v;
            }

            await using var serve = await ServeProcess.StartAsync(ticketgw, dir, settings);
            var cpu = serve.CpuMs();
            var clock = Stopwatch.StartNew();
            dovecot.ReleaseStaged();
            while (dovecot.Count("Processed") < mails)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(10) || serve.HasExited)
                {
                    throw new InvalidOperationException($"serve moved {dovecot.Count("Processed")} of {mails} mails in {clock.Elapsed.TotalSeconds:F0} s; see {dir}/serve.log");
                }

                await Task.Delay(20);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var cpuMs = serve.CpuMs() - cpu;
            var peak = serve.PeakMb();
            Check(store, mails, dovecot);
            return new Intake(mails / seconds, seconds, cpuMs / mails, peak);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Check(BenchStore store, int mails, Dovecot dovecot)
    {
        var expected = mails - (mails / 5);
        var inbound = store.Count("SELECT COUNT(*) FROM mail_inbound");
        var tickets = store.Count("SELECT COUNT(*) FROM tickets");
        var messages = store.Count("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'");
        var acks = store.Count("SELECT COUNT(*) FROM outbox WHERE purpose = 'acknowledgement'");
        if (inbound != mails || tickets != expected || messages != mails || acks != expected || dovecot.Count("INBOX") != 0)
        {
            throw new InvalidOperationException($"wrong result: {inbound} mails taken, {tickets} tickets and {acks} acknowledgements (expected {expected}), {messages} messages, {dovecot.Count("INBOX")} left in INBOX");
        }
    }

    private sealed record Intake(double Rate, double Seconds, double CpuMsPerMail, long PeakMb);

    private sealed record Row(double Fetch, double Parse, Intake Sqlite, Intake? Postgres);
}
