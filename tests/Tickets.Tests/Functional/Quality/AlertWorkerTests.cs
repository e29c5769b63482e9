using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Kpis;
using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>
/// The alert worker on a fake clock: urges posted at once, retries of a failing webhook, the mail of
/// each alert queued with it. Reminders and breaches reaching both the SMTP sink and the webhook,
/// across restarts, are in OperatorGateway.Tests (DutyAlertTests), where the SMTP sender is.
/// </summary>
public abstract class AlertWorkerTests(StoreKind engine)
{
    // Monday 2 November 2026, 09:00 (+08). A level-1 complaint accepted then is due at 11:00; 80% is 10:36.
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static readonly DutyOptions AlwaysOnDuty = new()
    {
        People =
        [
            new DutyPerson
            {
                Name = "值班员",
                Email = "duty@example.com",
                Mobile = "13800000009",
                Shifts = [new DutyShift { Days = [.. Enum.GetNames<DayOfWeek>()], From = TimeSpan.Zero, To = TimeSpan.Zero }],
            },
        ],
    };

    [Fact]
    public async Task Urge_InTransaction_PostedAtOnceWithoutWaitingForATick()
    {
        await using var robot = await WebhookReceiver.StartAsync(failFirst: 0);
        await using var store = new QualityStore(T0, engine, AlwaysOnDuty, Alerts(robot.Url));
        var ticket = await store.Service.CreateAsync(new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13800000001"), "内容不符", "text", 3), "operator");
        var worker = await StartWorkerAsync(store);

        await store.Service.Database.WriteAsync((c, tx) => store.AlertStore.Urge(c, tx, ticket.Id, "用户催促", "operator"));
        await Eventually.Until(() => robot.Accepted.Count == 1, "the urge alert to reach the webhook");
        await worker.StopAsync(CancellationToken.None);
        worker.Dispose();

        var urge = Assert.Single(store.AlertStore.List());
        Assert.Equal(AlertKinds.Urge, urge.Kind);
        Assert.Contains("用户催促", robot.Accepted[0].GetProperty("text").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal($"【催办】{ticket.Ref} 投诉“内容不符”被 operator 催办：用户催促；处理时限 {ResolveDue(ticket)}。值班人员：值班员。", urge.Text);

        // Its mail was queued in the urge's own transaction, to the person on duty, with the duty-alert template.
        Assert.Equal((AlertStates.Queued, "duty@example.com"), (urge.EmailState, urge.EmailTo));
        var mail = Assert.Single(store.Outbox.List(null));
        Assert.Equal(("alert:urge", "duty@example.com"), (mail.Purpose, Assert.Single(mail.Recipients)));
        Assert.Equal($"[{ticket.Ref}] 催办：内容不符", mail.Subject);
        var body = MimeKit.MimeMessage.Load(new MemoryStream(store.Outbox.Mime(mail.Id))).TextBody!;
        Assert.Contains("用户催促", body, StringComparison.Ordinal);
        Assert.Contains("当前状态 新建。", body, StringComparison.Ordinal);
        Assert.DoesNotMatch("urge|status|new", body);
    }

    [Fact]
    public async Task RaiseDue_NobodyOnDuty_MailGoesToDutyAddressAndARolledBackRaiseQueuesNothing()
    {
        await using var store = new QualityStore(T0, engine, new DutyOptions(), new AlertsOptions());
        await store.Service.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Complaint, new Customer(null, null, "13800000001"), "扣费投诉", "text", 1), "test");
        store.Clock.Advance(TimeSpan.FromHours(3));

        // A transaction that fails after raising leaves neither the alert nor its mail.
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.Service.Database.WriteAsync<int>((c, tx) =>
        {
            store.AlertStore.RaiseDue(c, tx, store.Clock.GetUtcNow());
            throw new InvalidOperationException("rolled back");
        }));
        Assert.Empty(store.AlertStore.List());
        Assert.Empty(store.Outbox.List(null));

        Assert.Equal(1, await store.Service.Database.WriteAsync((c, tx) => store.AlertStore.RaiseDue(c, tx, store.Clock.GetUtcNow())));
        Assert.Equal(0, await store.Service.Database.WriteAsync((c, tx) => store.AlertStore.RaiseDue(c, tx, store.Clock.GetUtcNow())));
        var breach = Assert.Single(store.AlertStore.List());
        Assert.Equal((AlertKinds.Breach, AlertStates.Disabled, AlertStates.Queued, QualityStore.DutyAddress), (breach.Kind, breach.WebhookState, breach.EmailState, breach.EmailTo));
        var mail = Assert.Single(store.Outbox.List(null));
        Assert.Equal(("alert:breach", QualityStore.DutyAddress), (mail.Purpose, Assert.Single(mail.Recipients)));
        Assert.StartsWith("[TG-000001] 告警：扣费投诉", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_WebhookDown_AlertStaysPendingAndIsTriedAgainLater()
    {
        await using var robot = await WebhookReceiver.StartAsync(failFirst: int.MaxValue);
        await using var store = new QualityStore(T0, engine, AlwaysOnDuty, Alerts(robot.Url));
        await store.Service.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Complaint, new Customer(null, null, "13800000001"), "扣费投诉", "text", 1), "test");
        var worker = await StartWorkerAsync(store);

        await AdvanceAsync(store, worker, TimeSpan.FromMinutes(96));
        var alert = Assert.Single(store.AlertStore.List());
        Assert.Equal((AlertStates.Pending, 1), (alert.WebhookState, alert.WebhookAttempts));

        await AdvanceAsync(store, worker, TimeSpan.FromMinutes(1));              // before RetryInterval (5 min): not tried
        Assert.Equal(1, store.AlertStore.List()[0].WebhookAttempts);
        await AdvanceAsync(store, worker, TimeSpan.FromMinutes(4));              // RetryInterval reached: tried again
        await worker.StopAsync(CancellationToken.None);
        worker.Dispose();
        Assert.Equal(2, store.AlertStore.List()[0].WebhookAttempts);
        Assert.Equal(8, robot.Attempts);                                         // 2 sends x (1 + 3 retries)
    }

    private static AlertsOptions Alerts(string url) => new()
    {
        ScanInterval = TimeSpan.FromMinutes(1),
        Webhook = new WebhookOptions { Url = url, RetryDelay = TimeSpan.FromMilliseconds(20), RetryInterval = TimeSpan.FromMinutes(5) },
    };

    private static async Task<AlertWorker> StartWorkerAsync(QualityStore store)
    {
        // The HTTP client as the host builds it (standard resilience handler), on the real clock:
        // only the worker's schedule runs on the fake one.
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(Options.Create(store.Alerts));
        QualityHostingExtensions.AddWebhookClient(services);
        var provider = services.BuildServiceProvider();
        var sender = new WebhookSender(provider.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.ClientName), Options.Create(store.Alerts));
        var worker = new AlertWorker(store.AlertStore, sender, store.Signal, Options.Create(store.Alerts), store.Clock, NullLogger<AlertWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        await Eventually.Until(() => worker.Rounds >= 1, "the worker's first round");
        return worker;
    }

    private static async Task AdvanceAsync(QualityStore store, AlertWorker worker, TimeSpan by)
    {
        var before = worker.Rounds;
        store.Clock.Advance(by);
        await Eventually.Until(() => worker.Rounds > before, $"a round after advancing the clock to {store.Clock.GetUtcNow():O}");
    }

    private static string ResolveDue(Ticket ticket) =>
        TimeZoneInfo.ConvertTime(ticket.ResolveDueAt!.Value, QualityStore.Zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class AlertWorkerTestsOnSqlite() : AlertWorkerTests(StoreKind.Sqlite);

public sealed class AlertWorkerTestsOnPostgres() : AlertWorkerTests(StoreKind.Postgres);
