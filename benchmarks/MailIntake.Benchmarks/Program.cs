using TicketGateway.MailIntake.Benchmarks;

// dotnet run -c Release --project benchmarks/MailIntake.Benchmarks [-- MAILS [RUNS]]
//   end to end (Dovecot -> tickets committed and mails moved) against a bare MailKit fetch of the
//   same mailbox, then the peak memory of a fresh process taking one 25 MB mail.
// dotnet run -c Release --project benchmarks/MailIntake.Benchmarks -- big
//   only the 25 MB mail (what the first form runs as a child process).
if (args is ["big"])
{
    return await BigMailRun.RunAsync();
}

var mails = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
await ThroughputRun.RunAsync(mails, runs);
return await BigMailRun.SpawnAsync();
