using TicketGateway.MailIntake.Benchmarks;

// dotnet run -c Release --project benchmarks/MailIntake.Benchmarks [-- MAILS [RUNS]]
//   end to end (Dovecot -> tickets committed and mails moved) against a bare MailKit fetch of the
//   same mailbox, then the peak memory of a fresh process taking one 25 MB mail.
// dotnet run -c Release --project benchmarks/MailIntake.Benchmarks -- big
//   only the 25 MB mail (what the first form runs as a child process).
// dotnet benchmarks/MailIntake.Benchmarks/.../TicketGateway.MailIntake.Benchmarks.dll serve TICKETGW_DLL MAILS RUNS
//   `ticketgw serve` from outside (benchmarks/intake.sh runs it): against a bare fetch and a fetch
//   plus parse, on SQLite and on PostgreSQL when BENCH_PG_PORT is set, then the acknowledgement latency.
if (args is ["big"])
{
    return await BigMailRun.RunAsync();
}

if (args is ["serve", var ticketgw, var serveMails, var serveRuns])
{
    await ServeRun.RunAsync(ticketgw, int.Parse(serveMails, System.Globalization.CultureInfo.InvariantCulture), int.Parse(serveRuns, System.Globalization.CultureInfo.InvariantCulture));
    await AckLatencyRun.RunAsync(ticketgw, 200);
    return 0;
}

var mails = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
await ThroughputRun.RunAsync(mails, runs);
return await BigMailRun.SpawnAsync();
