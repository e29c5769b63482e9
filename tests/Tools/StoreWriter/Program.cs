using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

// Writes tickets as fast as it can, from several concurrent writers, and prints the reference of
// each one the store acknowledged. The crash test kills it with SIGKILL and then checks that every
// acknowledged change is in the database, whole. Bounded: stops by itself after 60 s.
if (args.Length != 3 || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var writers))
{
    Console.Error.WriteLine("usage: StoreWriter PROVIDER CONNECTION_STRING WRITERS");
    return 2;
}

var options = new StorageOptions { Provider = args[0], ConnectionString = args[1] };
await using var database = new TicketDatabase(options, NullLogger<TicketDatabase>.Instance);
var sla = new SlaOptions();
var service = new TicketService(
    database,
    new DeadlineCalculator(CalendarLoader.Load([]), sla.Zone(), sla),
    TimeProvider.System,
    NullLogger<TicketService>.Instance);

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
var output = TextWriter.Synchronized(Console.Out);
Console.Out.WriteLine("ready");
Console.Out.Flush();

var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    for (var i = 0; !stop.IsCancellationRequested; i++)
    {
        var ticket = await service.CreateAsync(
            new NewTicket(Channel.Phone, TicketKind.Complaint, new Customer("写入者", null, "13800138000"), $"crash test {w}/{i}", $"第 {i} 次写入", Level: 1),
            "store-writer");
        // A second change on the same ticket, so the test also sees multi-step histories cut short.
        await service.SetLevelAsync(ticket.Ref, 3, "store-writer");
        output.WriteLine("acked " + ticket.Ref);
        output.Flush();
    }
})).ToArray();

await Task.WhenAll(tasks);
return 0;
