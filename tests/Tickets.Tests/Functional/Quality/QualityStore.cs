using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.Tickets.Calls;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Kpis;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Sla;
using TicketGateway.Tickets.Storage;
using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>A real store (a SQLite file in a temporary folder, or a fresh PostgreSQL database) with a fake clock and the service-quality parts wired as the host wires them.</summary>
internal sealed class QualityStore : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tg-quality-").FullName;

    public QualityStore(DateTimeOffset now, StoreKind engine, DutyOptions? duty = null, AlertsOptions? alerts = null)
    {
        Db = TestDatabase.Create(engine, _dir);
        Clock = new FakeTimeProvider(now);
        Duty = duty ?? new DutyOptions();
        Alerts = alerts ?? new AlertsOptions();
        Open();
    }

    /// <summary>A second node on <paramref name="first"/>'s store (PostgreSQL): its own connections and services, the same clock and settings.</summary>
    public QualityStore(QualityStore first)
    {
        ArgumentNullException.ThrowIfNull(first);
        Db = first.Db;
        Clock = first.Clock;
        Duty = first.Duty;
        Alerts = first.Alerts;
        Open();
    }

    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Where the store lives.</summary>
    public TestDatabase Db { get; }

    public FakeTimeProvider Clock { get; }

    public DutyOptions Duty { get; }

    public AlertsOptions Alerts { get; }

    public AlertSignal Signal { get; } = new();

    public TicketService Service { get; private set; } = null!;

    public KpiCalculator Kpis { get; private set; } = null!;

    public CallStore Calls { get; private set; } = null!;

    public AlertStore AlertStore { get; private set; } = null!;

    /// <summary>The mail outbox alerts are queued in (mail on, <c>Mail:DutyAddress</c> = <see cref="DutyAddress"/>).</summary>
    public Outbox Outbox { get; private set; } = null!;

    public const string DutyAddress = "duty-desk@desk.test";

    public string Dir => _dir;

    /// <summary>Closes the store and opens it again, as a restarted process would.</summary>
    public async Task RestartAsync()
    {
        await Service.Database.DisposeAsync();
        Open();
    }

    public async ValueTask DisposeAsync()
    {
        await Service.Database.DisposeAsync();
        Signal.Dispose();
        TestDatabase.ClearPools();
        Directory.Delete(_dir, recursive: true);
    }

    private void Open()
    {
        var sla = new SlaOptions();
        var database = new TicketDatabase(Db.Options, NullLogger<TicketDatabase>.Instance);
        TicketService? service = null;
        var quality = new QualityOptions();
        var observer = new RepeatComplaintObserver(() => service!, Options.Create(quality));
        service = new TicketService(database, new DeadlineCalculator(CalendarLoader.Load([]), Zone, sla), Clock, NullLogger<TicketService>.Instance, [observer]);
        Service = service;
        Kpis = new KpiCalculator(database, Zone, Clock, quality.SurveyWindow);
        Calls = new CallStore(database, Zone, Clock);
        var mail = new MailOptions { SupportAddress = "support@desk.test", DutyAddress = DutyAddress, ReplyTokenSecret = "test-secret-0123456789" };
        var replies = new ReplyOptions();
        Outbox = new Outbox(service, new ReplyTemplates(replies, Zone, mail.SupportAddress, Clock), mail, replies, Clock, () => new MailIntake.Mime.MimeComposer(), () => AlertStore);
        AlertStore = new AlertStore(database, new DutyRoster(Duty, Zone), Options.Create(Alerts), Clock, Signal, Outbox);
    }
}
