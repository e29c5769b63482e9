using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.MailIntake;
using TicketGateway.MailIntake.Smtp;
using TicketGateway.OperatorGateway.Hosting;
using TicketGateway.OperatorGateway.Operations;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Kpis;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional.Operations;

/// <summary>
/// The daily inspection and the fault alerts of <c>serve</c> on a fake clock, composed as the gateway
/// composes them, delivered by the product's SMTP sender to the real SMTP sink and by the notices'
/// chat posts to a loopback robot; the operator endpoint is a real gRPC receiver, down then up.
/// </summary>
public abstract class OperationsWorkerTests(StoreKind engine)
{
    // Monday 2 November 2026, 08:00 (+08): an hour before the default inspection time.
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Worker_FakeClock_FaultAlertAfterTenMinutesAndRecoveryOnceEach_InspectionOncePerDayToSinkAndRobot()
    {
        using var desk = new Desk(engine);
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"));
        await using var robot = await WebhookReceiver.StartAsync(failFirst: 0);
        var operatorPort = Ports.Closed();
        var clock = new FakeTimeProvider(T0);
        await using var rig = await Rig.StartAsync(desk, clock, robot.Url, sink.Port, operatorPort);
        OperatorPeer? peer = null;
        try
        {
            // 08:00: the endpoint is down; the fault opens but waits for Operations:FaultAlertAfter (10 min).
            await rig.AdvanceAsync(TimeSpan.FromMinutes(5));                                       // 08:05
            Assert.Equal(0, robot.Attempts);
            Assert.Empty(sink.Mails());

            await rig.AdvanceAsync(TimeSpan.FromMinutes(6));                                       // 08:11: down 11 min
            await Eventually.Until(() => robot.Accepted.Count == 1, "the fault to reach the robot");
            var fault = Text(robot.Accepted[0]);
            Assert.StartsWith("【故障】operator:cmcc\noperator:cmcc 自 2026-11-02 08:00 起失败：", fault, StringComparison.Ordinal);
            Assert.Contains($"http://127.0.0.1:{operatorPort} does not answer: UNAVAILABLE", fault, StringComparison.Ordinal);
            var faultMail = Assert.Single(await sink.WaitForAsync(m => m.Count >= 1));
            Assert.Equal(("【故障】operator:cmcc", OperationsSettings.OnDutyEmail), (faultMail.Subject, faultMail.To.Mailboxes.Single().Address));
            Assert.Equal("auto-replied", faultMail.Headers["Auto-Submitted"]);

            await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                                       // 08:12: still down, alerted once
            peer = await OperatorPeer.StartAsync(port: operatorPort);
            await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                                       // 08:13: answers again
            await Eventually.Until(() => robot.Accepted.Count == 2, "the recovery to reach the robot");
            Assert.StartsWith("【恢复】operator:cmcc\noperator:cmcc 已于 2026-11-02 08:13 恢复（自 2026-11-02 08:00 起失败）", Text(robot.Accepted[1]), StringComparison.Ordinal);
            Assert.Equal("【恢复】operator:cmcc", (await sink.WaitForAsync(m => m.Count >= 2))[1].Subject);
            await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                                       // 08:14: nothing more

            await rig.AdvanceAsync(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8)) - clock.GetUtcNow());   // 09:00
            await Eventually.Until(() => robot.Accepted.Count == 3, "the inspection report to reach the robot");
            var report = Text(robot.Accepted[2]);
            Assert.StartsWith("【巡检】2026-11-02：", report, StringComparison.Ordinal);
            Assert.Contains("[ok] operator:cmcc: " + peer.Url + " answers; no update waiting", report, StringComparison.Ordinal);
            // Problems first: the calendar of 2027 is missing in November, and leads the list.
            Assert.Contains("inspection 2026-11-02T09:00:00+08:00", report, StringComparison.Ordinal);
            Assert.Contains(" ok.\n[warning] calendar: no working calendar for 2027", report, StringComparison.Ordinal);
            Assert.StartsWith("【巡检】2026-11-02：0 failed, 1 warning,", (await sink.WaitForAsync(m => m.Count >= 3))[2].Subject, StringComparison.Ordinal);

            await rig.AdvanceAsync(TimeSpan.FromHours(1));                                         // 10:00: no second report that day
            await rig.AdvanceAsync(TimeSpan.FromHours(22));                                        // 08:00 the next day
            Assert.Equal(3, robot.Accepted.Count);
            await rig.AdvanceAsync(TimeSpan.FromHours(1));                                         // 09:00, Tuesday
            await Eventually.Until(() => robot.Accepted.Count == 4, "the second day's report to reach the robot");
            Assert.StartsWith("【巡检】2026-11-03：", Text(robot.Accepted[3]), StringComparison.Ordinal);
            await rig.AdvanceAsync(TimeSpan.FromHours(2));

            await Eventually.Until(() => sink.Mails().Count == 4, "the second report's mail");
            Assert.Equal(4, robot.Accepted.Count);
            Assert.Equal(4, robot.Attempts);
            var kept = rig.Services.GetRequiredService<InspectionHistory>().List(10);
            Assert.Equal(["2026-11-03T09:00:00+08:00", "2026-11-02T09:00:00+08:00"], kept.Select(k => k.Report.StartedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)));
            Assert.All(kept, k => Assert.Equal("daily", k.Trigger));
        }
        finally
        {
            if (peer is not null)
            {
                await peer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Worker_MailboxDown_FaultAlertAtOnceAndRecoveryOnceEach()
    {
        using var desk = new Desk(engine);
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"));
        await using var robot = await WebhookReceiver.StartAsync(failFirst: 0);
        await using var peer = await OperatorPeer.StartAsync();
        await using var dovecot = await DovecotServer.StartAsync();
        var clock = new FakeTimeProvider(T0);
        await using var rig = await Rig.StartAsync(desk, clock, robot.Url, sink.Port, new Uri(peer.Url).Port, dovecot.GatewayEnvironment(TimeSpan.FromSeconds(1)));

        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                                           // 08:01: all answer
        await dovecot.StopAsync();
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                                           // 08:02: the mailbox is down
        // No waiting for Operations:FaultAlertAfter: no mail comes in while the mailbox is down.
        await Eventually.Until(() => robot.Accepted.Count == 1, "the mailbox fault to reach the robot at once");
        Assert.StartsWith("【故障】imap\nimap 自 2026-11-02 08:02 起失败：", Text(robot.Accepted[0]), StringComparison.Ordinal);
        Assert.Equal("【故障】imap", Assert.Single(await sink.WaitForAsync(m => m.Count >= 1)).Subject);

        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                                           // 08:03: still down, alerted once
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                                           // 08:04
        Assert.Single(robot.Accepted);
        await dovecot.StartAgainAsync();
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                                           // 08:05: answers again
        await Eventually.Until(() => robot.Accepted.Count == 2, "the mailbox's recovery to reach the robot");
        Assert.StartsWith("【恢复】imap\nimap 已于 2026-11-02 08:05 恢复（自 2026-11-02 08:02 起失败）", Text(robot.Accepted[1]), StringComparison.Ordinal);
        await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                                           // 08:06: nothing more
        await Eventually.Until(() => sink.Mails().Count == 2, "the recovery's mail");
        Assert.Equal(2, robot.Attempts);
        Assert.Equal(["【故障】imap", "【恢复】imap"], sink.Mails().Select(m => m.Subject));
    }

    private static string Text(JsonElement post) => post.GetProperty("text").GetProperty("content").GetString()!;

    /// <summary>
    /// One "process": the services as the gateway composes them on the fake clock, the operations worker
    /// on that clock, and the SMTP sender and the robot's HTTP client on the real one.
    /// </summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly FakeTimeProvider _clock;
        private readonly ServiceProvider _http;
        private readonly OperationsWorker _worker;
        private readonly SmtpSender _sender;

        private Rig(IHost host, FakeTimeProvider clock, ServiceProvider http, OperationsWorker worker, SmtpSender sender)
        {
            _host = host;
            _clock = clock;
            _http = http;
            _worker = worker;
            _sender = sender;
        }

        public IServiceProvider Services => _host.Services;

        public static async Task<Rig> StartAsync(Desk desk, FakeTimeProvider clock, string robotUrl, int smtpPort, int operatorPort, IReadOnlyDictionary<string, string>? more = null)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddSingleton<TimeProvider>(clock);
            var settings = ReplyStack.Settings(smtpPort, desk.Db);
            settings["Alerts:Webhook:Url"] = robotUrl;
            settings["Alerts:Webhook:RetryDelay"] = "00:00:00.020";
            settings["Operators:0:Id"] = "cmcc";
            settings["Operators:0:CallbackAddress"] = $"http://127.0.0.1:{operatorPort}";
            settings["Operators:0:CallbackApiKey"] = "callback-key-0123456789";
            settings["Operations:CheckTimeout"] = "00:00:10";
            foreach (var (k, v) in OperationsSettings.CoveredDesk(desk.Path, T0))
            {
                if (!k.StartsWith("Sla__", StringComparison.Ordinal))
                {
                    settings[k.Replace("__", ":", StringComparison.Ordinal)] = v;
                }
            }

            foreach (var (k, v) in more ?? new Dictionary<string, string>())
            {
                settings[k.Replace("__", ":", StringComparison.Ordinal)] = v;
            }

            builder.Configuration.AddInMemoryCollection(settings!);
            builder.AddTickets();
            builder.AddMailIntake();
            builder.AddOperatorUpdates();
            builder.AddOperations(serve: false);
            // The robot's client on the real clock (its retry delays are real waits; only the schedule is simulated).
            var alerts = Options.Create(new AlertsOptions { Webhook = { Url = robotUrl, PostRetryDelay = TimeSpan.FromMilliseconds(20) } });
            var http = new ServiceCollection().AddLogging().AddSingleton(alerts);
            QualityHostingExtensions.AddWebhookClient(http);
            var httpProvider = http.BuildServiceProvider();
            builder.Services.AddSingleton(new WebhookSender(httpProvider.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.ClientName), alerts));
            var host = builder.Build();   // not started: the test runs the workers itself, on the clocks it chooses

            var smtp = host.Services.GetRequiredService<SmtpOptions>();
            var sender = new SmtpSender(host.Services.GetRequiredService<Outbox>(), smtp, TimeProvider.System, NullLogger<SmtpSender>.Instance);
            var worker = ActivatorUtilities.CreateInstance<OperationsWorker>(host.Services);
            await sender.StartAsync(CancellationToken.None);
            await worker.StartAsync(CancellationToken.None);
            await Eventually.Until(() => worker.Rounds >= 1, "the worker's first round");
            return new Rig(host, clock, httpProvider, worker, sender);
        }

        public async Task AdvanceAsync(TimeSpan by)
        {
            var before = _worker.Rounds;
            _clock.Advance(by);
            await Eventually.Until(() => _worker.Rounds > before, string.Create(CultureInfo.InvariantCulture, $"a round after advancing the clock to {_clock.GetUtcNow():O}"));
        }

        public async ValueTask DisposeAsync()
        {
            await _worker.StopAsync(CancellationToken.None);
            _worker.Dispose();
            await _sender.StopAsync(CancellationToken.None);
            _sender.Dispose();
            await _host.Services.GetRequiredService<TicketDatabase>().DisposeAsync();
            _host.Dispose();
            await _http.DisposeAsync();
            TestDatabase.ClearPools();
        }
    }
}

public sealed class OperationsWorkerTestsOnSqlite() : OperationsWorkerTests(StoreKind.Sqlite);

public sealed class OperationsWorkerTestsOnPostgres() : OperationsWorkerTests(StoreKind.Postgres);
