using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.MailIntake.Intake;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Tests.Support;

/// <summary>
/// A real store (a SQLite file in a temporary folder, or a fresh PostgreSQL database) with the intake's
/// processor on it, for in-process tests.
/// </summary>
internal sealed class IntakeStore : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tg-mail-").FullName;
    private long _uid;

    public IntakeStore(StoreKind engine, IntakeOptions? intake = null, params IInboundMailHandler[] handlers)
        : this(engine, intake, handlers, [])
    {
    }

    public IntakeStore(StoreKind engine, IntakeOptions? intake, IInboundMailHandler[] handlers, IInboundMailClaimer[] claimers)
    {
        Db = TestDatabase.Create(engine, _dir);
        Intake = intake ?? new IntakeOptions();
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
        var sla = new SlaOptions();
        var database = new TicketDatabase(Db.Options, NullLogger<TicketDatabase>.Instance, createIfMissing: true, [IntakeSchema.Module]);
        Tickets = new TicketService(database, new DeadlineCalculator(CalendarLoader.Load([]), sla.Zone(), sla), Clock, NullLogger<TicketService>.Instance);
        Reader = new MailReader(Fixtures.Options, Intake);
        Processor = new MailProcessor(Tickets, Fixtures.Options, Intake, Clock, handlers, claimers);
        Quarantine = new QuarantineService(Tickets, Reader, Processor, Clock);
    }

    /// <summary>Where the store lives.</summary>
    public TestDatabase Db { get; }

    public IntakeOptions Intake { get; }

    public FakeTimeProvider Clock { get; }

    public TicketService Tickets { get; }

    public MailReader Reader { get; }

    public MailProcessor Processor { get; }

    public QuarantineService Quarantine { get; }

    /// <summary>Takes a raw mail as the poller would, under the next UID of INBOX.</summary>
    public Task<ProcessedMail> TakeAsync(byte[] raw, DateTimeOffset? arrivedAt = null) => TakeAsync(raw, Interlocked.Increment(ref _uid), arrivedAt);

    public Task<ProcessedMail> TakeAsync(byte[] raw, long uid, DateTimeOffset? arrivedAt = null)
    {
        var mail = Reader.Read(raw);
        var source = new MailSource("INBOX", 7, uid, arrivedAt);
        return Tickets.Database.WriteAsync((c, tx) => Processor.Process(c, tx, source, mail, RawMail.InMemory(raw)));
    }

    /// <summary>The store's spool folder (beside it), where <see cref="TakeSpooledAsync"/> writes.</summary>
    public string SpoolFolder => Path.Combine(_dir, "mail-spool");

    /// <summary>Takes a raw mail as the poller takes a big one: written to a spool file first, parsed from there.</summary>
    public Task<ProcessedMail> TakeSpooledAsync(byte[] raw)
    {
        Directory.CreateDirectory(SpoolFolder);
        var uid = Interlocked.Increment(ref _uid);
        var path = Path.Combine(SpoolFolder, $"7-{uid}-{Guid.NewGuid():N}.eml");
        File.WriteAllBytes(path, raw);
        var mail = Reader.ReadFile(path);
        return Tickets.Database.WriteAsync((c, tx) => Processor.Process(c, tx, new MailSource("INBOX", 7, uid, null), mail, new RawMail(null, path, raw.LongLength)));
    }

    /// <summary>Quarantines a raw mail as the poller does when reading fails.</summary>
    public Task<long> QuarantineAsync(byte[] raw, string reason, DateTimeOffset? arrivedAt = null)
    {
        var source = new MailSource("INBOX", 7, Interlocked.Increment(ref _uid), arrivedAt);
        return Tickets.Database.WriteAsync((c, tx) => Processor.Quarantine(c, tx, source, RawMail.InMemory(raw), reason));
    }

    /// <summary>Records an outbound reply on a ticket, as the reply side does.</summary>
    public Task<long> SendAsync(long ticketId, string to, string messageId) =>
        Tickets.Database.WriteAsync((c, tx) => Tickets.AddMessage(c, tx, ticketId,
            new TicketMessage(0, MessageDirection.Outbound, Clock.GetUtcNow(), "support@example.com", to, "Re", "We are on it.", messageId, false), "agent", "reply"));

    public TicketDetails Get(long id) => Tickets.Get(TicketReference.Format(id));

    public T Scalar<T>(string sql) => Tickets.Database.Read(c => (T)c.Scalar(sql)!);

    public async ValueTask DisposeAsync()
    {
        await Tickets.Database.DisposeAsync();
        TestDatabase.ClearPools();
        Directory.Delete(_dir, recursive: true);
    }
}
