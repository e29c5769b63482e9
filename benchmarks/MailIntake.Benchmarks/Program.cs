using TicketGateway.MailIntake.Benchmarks;

// dotnet run -c Release --project benchmarks/MailIntake.Benchmarks [-- MAILS]
//   end to end (Dovecot -> tickets committed and mails moved) against a bare MailKit fetch of the
//   same mailbox, then the peak memory of a fresh process taking one 25 MB mail.
// dotnet run -c Release --project benchmarks/MailIntake.Benchmarks -- big
//   only the 25 MB mail (what the first form runs as a child process).
if (args is ["big"])
{
    return await BigMailRun.RunAsync();
}

var mails = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
await ThroughputRun.RunAsync(mails);
return await BigMailRun.SpawnAsync();
