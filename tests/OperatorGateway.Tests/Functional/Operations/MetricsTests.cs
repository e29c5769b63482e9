using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Operations;

/// <summary>
/// <c>/metrics</c> of the real <c>ticketgw serve</c>, scraped over HTTP/1.1 on the web endpoint before and
/// after a mail arrives in a real Dovecot and an operator update is queued for an operator whose receiver is down.
/// </summary>
public abstract partial class MetricsTests(StoreKind engine)
{
    [Fact]
    public async Task Metrics_BeforeAndAfterAMailAndAnOperatorUpdate_CountersAndGaugesMove()
    {
        using var desk = new Desk(engine);
        await using var dovecot = await DovecotServer.StartAsync();
        var env = OperationsSettings.WebAndMailbox(dovecot, TimeSpan.FromSeconds(1));

        foreach (var (k, v) in Exchange.Settings($"http://127.0.0.1:{Ports.Closed()}"))
        {
            env[k] = v;
        }

        await desk.InitAsync();
        await using var gateway = await desk.StartAsync(env);
        using var http = new HttpClient { BaseAddress = new Uri(gateway.WebUrl!), DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var before = await ScrapeAsync(http);
        Assert.Equal(0, before.Sum("ticketgw_mail_taken_total"));
        Assert.Equal(0, before.Sum("ticketgw_tickets"));
        Assert.Equal(0, before.Sum("ticketgw_operator_updates_pending"));
        Assert.Equal(0, before.Sum("ticketgw_complaints_deadline"));
        Assert.True(before.Has("ticketgw_store_read_duration_seconds"), "the store's read time is reported");
        // The node polls the mailbox and found it empty: no lag (a node that does not poll reports none at all).
        await Eventually.Until(async () => (before = await ScrapeAsync(http)).Has("ticketgw_mail_intake_lag_seconds"), "the intake's lag to be reported");
        Assert.Equal(0, before.Sum("ticketgw_mail_intake_lag_seconds"));

        dovecot.Deliver(Encoding.ASCII.GetBytes(
            "From: Customer <customer@example.net>\r\nTo: support@example.com\r\nSubject: question about my bill\r\n"
            + "Message-ID: <metrics-1@example.net>\r\nDate: Mon, 02 Nov 2026 09:00:00 +0800\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nWhy was I charged twice?\r\n"));
        Scrape afterMail = before;
        await Eventually.Until(async () => (afterMail = await ScrapeAsync(http)).Value("ticketgw_mail_taken_total", "outcome=\"created\"") == 1, "the mail to be counted as taken");
        Assert.Equal(1, afterMail.Sum("ticketgw_tickets"));
        Assert.Equal(1, afterMail.Value("ticketgw_tickets", "status=\"new\""));
        // Taken, the mail no longer waits: the lag falls back to 0 once the sweep after it finds the folder empty.
        await Eventually.Until(async () => (await ScrapeAsync(http)).Value("ticketgw_mail_intake_lag_seconds") == 0, "the intake's lag to fall back to 0");

        // The operator files a complaint (a gRPC call, timed by the ASP.NET Core instrumentation); resolving it queues its update.
        using var channel = GrpcChannel.ForAddress(gateway.Url);
        var receipt = await Exchange.Client(channel, Exchange.KeyA).SubmitComplaintAsync(Exchange.Complaint("metrics-order-1"));
        await desk.OkAsync("tickets", "resolve", receipt.TicketRef, "--text", "refunded");
        Scrape afterUpdate = afterMail;
        await Eventually.Until(async () => (afterUpdate = await ScrapeAsync(http)).Value("ticketgw_operator_updates_pending", "operator=\"op-a\"") >= 1, "the queued update to be counted");
        Assert.Equal(2, afterUpdate.Sum("ticketgw_tickets"));
        Assert.Equal(1, afterUpdate.Value("ticketgw_tickets", "kind=\"complaint\"", "status=\"resolved\""));
        Assert.True(afterUpdate.Value("ticketgw_operator_updates_oldest_age_seconds", "operator=\"op-a\"") >= 0);
        Assert.Equal(1, afterUpdate.Value("ticketgw_mail_taken_total", "outcome=\"created\""));
        Assert.True(afterUpdate.Value("http_server_request_duration_seconds_count", "SubmitComplaint") >= 1, "the gRPC call is timed");
    }

    private static async Task<Scrape> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        return new Scrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A Prometheus text exposition: samples by name, filtered by label fragments.</summary>
    private sealed partial class Scrape(string text)
    {
        private readonly List<(string Name, string Labels, double Value)> _samples =
            [.. text.Split('\n').Select(l => Sample().Match(l)).Where(m => m.Success)
                .Select(m => (m.Groups[1].Value, m.Groups[2].Value, double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))];

        public bool Has(string name) => _samples.Any(s => s.Name == name);

        public double Sum(string name) => _samples.Where(s => s.Name == name).Sum(s => s.Value);

        public double Value(string name, params string[] labels) =>
            _samples.Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

        [GeneratedRegex(@"^([a-z_]+)(?:\{(.*)\})? ([0-9.eE+-]+|NaN)(?: \d+)?\r?$")]
        private static partial Regex Sample();
    }
}

public sealed class MetricsTestsOnSqlite() : MetricsTests(StoreKind.Sqlite);

public sealed class MetricsTestsOnPostgres() : MetricsTests(StoreKind.Postgres);
