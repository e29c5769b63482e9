using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.MailIntake.Mime;
using TicketGateway.MailIntake.Smtp;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Kpis;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Tests.Functional.Quality;

/// <summary>
/// Reminders and breach alerts on a fake clock, composed as the gateway composes them
/// (<c>AddTickets</c>), delivered by the product's SMTP sender to the real SMTP sink and by the alert
/// worker to a loopback chat robot that fails twice first, across restarts of the store.
/// </summary>
public abstract partial class DutyAlertTests(StoreKind engine)
{
    // Monday 2 November 2026, 09:00 (+08). A level-1 complaint accepted then is due at 11:00; 80% is 10:36.
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private const string OnDutyEmail = "zhiban@desk.test";

    [Fact]
    public async Task Alerts_FakeClock_ReminderAndBreachOnceEachAtTheirMomentsInTheSinkAndTheRobotAcrossRestarts()
    {
        using var desk = new Desk(engine);
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"));
        await using var robot = await WebhookReceiver.StartAsync(failFirst: 2);
        var clock = new FakeTimeProvider(T0);
        var rig = Rig.Start(desk.Db, clock, robot.Url, sink.Port);
        try
        {
            var ticket = await rig.Tickets.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Complaint, new Customer(null, null, "13800000001"), "扣费投诉", "text", 1), "test");
            await rig.StartWorkersAsync();

            await rig.AdvanceAsync(TimeSpan.FromMinutes(95));                    // 10:35, 79%: nothing yet
            Assert.Empty(rig.Alerts.List());
            Assert.Equal(0, robot.Attempts);

            await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                     // 10:36, 80%: the reminder
            var reminderMail = Assert.Single(await sink.WaitForAsync(m => m.Count >= 1));
            Assert.Equal(OnDutyEmail, reminderMail.To.Mailboxes.Single().Address);
            Assert.Equal($"[{ticket.Ref}] 期限提醒：扣费投诉", reminderMail.Subject);
            Assert.Contains("2026-11-02 11:00", reminderMail.TextBody, StringComparison.Ordinal);
            Assert.Equal("auto-replied", reminderMail.Headers["Auto-Submitted"]);
            await Eventually.Until(() => robot.Accepted.Count == 1, "the reminder to reach the robot");
            Assert.Equal(3, robot.Attempts);                                     // two 500s, retried by the resilience handler
            Assert.Contains("已用去处理时限的 80%，将于 2026-11-02T11:00:00+08:00 到期。", robot.Accepted[0].GetProperty("text").GetProperty("content").GetString(), StringComparison.Ordinal);
            await Eventually.Until(() => rig.Alerts.List() is [{ EmailState: AlertStates.Sent, WebhookState: AlertStates.Sent }], "the reminder's channels to be sent");
            var reminder = Assert.Single(rig.Alerts.List());
            Assert.Equal((AlertKinds.Reminder, T0.AddMinutes(96), OnDutyEmail), (reminder.Kind, reminder.RaisedAt, reminder.EmailTo));

            await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                     // 10:37: no second reminder
            Assert.Single(rig.Alerts.List());

            // Restart: a new process on the same store finds the reminder already raised.
            await rig.DisposeAsync();
            rig = Rig.Start(desk.Db, clock, robot.Url, sink.Port);
            await rig.StartWorkersAsync();
            await rig.AdvanceAsync(TimeSpan.FromMinutes(22));                    // 10:59: still only the reminder
            Assert.Single(rig.Alerts.List());

            await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                     // 11:00: the deadline passes
            var mails = await sink.WaitForAsync(m => m.Count >= 2);
            Assert.Equal($"[{ticket.Ref}] 告警：扣费投诉", mails[1].Subject);
            Assert.Contains("已超过处理时限 2026-11-02T11:00:00+08:00。", mails[1].TextBody, StringComparison.Ordinal);
            await Eventually.Until(() => robot.Accepted.Count == 2, "the breach alert to reach the robot");
            Assert.Contains("【超时】", robot.Accepted[1].GetProperty("text").GetProperty("content").GetString(), StringComparison.Ordinal);
            var breach = rig.Alerts.List()[0];
            Assert.Equal((AlertKinds.Breach, T0.AddHours(2)), (breach.Kind, breach.RaisedAt));

            await rig.DisposeAsync();
            rig = Rig.Start(desk.Db, clock, robot.Url, sink.Port);
            await rig.StartWorkersAsync();
            await rig.AdvanceAsync(TimeSpan.FromHours(3));
            await Eventually.Until(() => rig.Outbox.List(OutboxStatus.Queued).Count + rig.Outbox.List(OutboxStatus.Sending).Count == 0, "the outbox to drain");

            Assert.Equal([AlertKinds.Breach, AlertKinds.Reminder], rig.Alerts.List().Select(a => a.Kind));
            Assert.All(rig.Alerts.List(), a => Assert.Equal((AlertStates.Sent, AlertStates.Sent), (a.WebhookState, a.EmailState)));
            Assert.Equal(2, sink.Mails().Count);
            Assert.Equal(2, robot.Accepted.Count);
            Assert.Equal(2, rig.Tickets.Get(ticket.Ref).History.Count(h => h.Action == "alert"));
        }
        finally
        {
            await rig.DisposeAsync();
        }
    }

    /// <summary>
    /// One "process": the services as <c>AddTickets</c> composes them on the fake clock, the alert worker
    /// on that clock, and the SMTP sender and the webhook's HTTP client on the real one (their retry
    /// delays are real waits; only the alert schedule is simulated).
    /// </summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly FakeTimeProvider _clock;
        private readonly ServiceProvider _http;
        private readonly AlertsOptions _alerts;
        private readonly int _smtpPort;
        private AlertWorker? _worker;
        private SmtpSender? _sender;
        private bool _disposed;

        private Rig(IHost host, FakeTimeProvider clock, ServiceProvider http, AlertsOptions alerts, int smtpPort)
        {
            _host = host;
            _clock = clock;
            _http = http;
            _alerts = alerts;
            _smtpPort = smtpPort;
        }

        public TicketService Tickets => _host.Services.GetRequiredService<TicketService>();

        public IServiceProvider Services => _host.Services;

        public AlertStore Alerts => _host.Services.GetRequiredService<AlertStore>();

        public Outbox Outbox => _host.Services.GetRequiredService<Outbox>();

        public static Rig Start(TestDatabase db, FakeTimeProvider clock, string robotUrl, int smtpPort)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddSingleton<TimeProvider>(clock);
            var settings = ReplyStack.Settings(smtpPort: null, db);
            settings["Alerts:ScanInterval"] = "00:01:00";
            settings["Alerts:Webhook:Url"] = robotUrl;
            settings["Alerts:Webhook:RetryDelay"] = "00:00:00.020";
            settings["Duty:People:0:Name"] = "值班员";
            settings["Duty:People:0:Email"] = OnDutyEmail;
            settings["Duty:People:0:Mobile"] = "13800000009";
            foreach (var (day, i) in Enum.GetNames<DayOfWeek>().Select((d, i) => (d, i)))
            {
                settings[$"Duty:People:0:Shifts:0:Days:{i}"] = day;
            }

            settings["Duty:People:0:Shifts:0:From"] = "00:00:00";
            settings["Duty:People:0:Shifts:0:To"] = "00:00:00";
            builder.Configuration.AddInMemoryCollection(settings!);
            builder.AddTickets();
            builder.AddMailComposer();
            var host = builder.Build();   // not started: this test runs the workers itself, on the clocks it chooses

            var alerts = host.Services.GetRequiredService<IOptions<AlertsOptions>>().Value;
            var http = new ServiceCollection().AddLogging().AddSingleton(Options.Create(alerts));
            QualityHostingExtensions.AddWebhookClient(http);
            return new Rig(host, clock, http.BuildServiceProvider(), alerts, smtpPort);
        }

        public async Task StartWorkersAsync()
        {
            var webhook = new WebhookSender(_http.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.ClientName), Options.Create(_alerts));
            _worker = new AlertWorker(Alerts, webhook, _host.Services.GetRequiredService<AlertSignal>(), Options.Create(_alerts), _clock, NullLogger<AlertWorker>.Instance);
            var smtp = new SmtpOptions
            {
                Host = "127.0.0.1",
                Port = _smtpPort,
                Security = MailKit.Security.SecureSocketOptions.None,
                PollInterval = TimeSpan.FromMilliseconds(200),
                RetryMin = TimeSpan.FromMilliseconds(200),
                RetryMax = TimeSpan.FromSeconds(1),
            };
            _sender = new SmtpSender(Outbox, smtp, TimeProvider.System, NullLogger<SmtpSender>.Instance);
            await _sender.StartAsync(CancellationToken.None);
            await _worker.StartAsync(CancellationToken.None);
            await Eventually.Until(() => _worker.Rounds >= 1, "the worker's first round");
        }

        public async Task AdvanceAsync(TimeSpan by)
        {
            var before = _worker!.Rounds;
            _clock.Advance(by);
            await Eventually.Until(() => _worker.Rounds > before, string.Create(CultureInfo.InvariantCulture, $"a round after advancing the clock to {_clock.GetUtcNow():O}"));
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_worker is not null)
            {
                await _worker.StopAsync(CancellationToken.None);
                _worker.Dispose();
                _worker = null;
            }

            if (_sender is not null)
            {
                await _sender.StopAsync(CancellationToken.None);
                _sender.Dispose();
                _sender = null;
            }

            await Tickets.Database.DisposeAsync();
            _host.Dispose();
            await _http.DisposeAsync();
            TestDatabase.ClearPools();
        }
    }
}

public sealed class DutyAlertTestsOnSqlite() : DutyAlertTests(StoreKind.Sqlite);

public sealed class DutyAlertTestsOnPostgres() : DutyAlertTests(StoreKind.Postgres);
