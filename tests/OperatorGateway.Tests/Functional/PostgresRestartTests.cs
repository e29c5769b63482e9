using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using Npgsql;
using TicketGateway.OperatorGateway.Tests.Support;
using Xunit.Abstractions;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// PostgreSQL restarted under two real <c>ticketgw serve</c> nodes while mail arrives and the operator
/// submits complaints over both: the nodes say they are unhealthy, calls fail UNAVAILABLE (never a false
/// OK), and once the database is back everything resumes with nothing lost and nothing twice. The server
/// restarted is the test's own, so the other test classes go on meanwhile.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const int BeforeOutage = 80;
    private const int DuringOutage = 80;
    private const int AfterOutage = 40;
    private const int NewMails = BeforeOutage + DuringOutage + AfterOutage;
    private const int Replies = 40;
    private static readonly TimeSpan MinOutage = TimeSpan.FromSeconds(5);

    [PostgresFact]
    public async Task Serve_PostgresRestartedUnderMailAndOperatorLoad_UnhealthyUnavailableThenResumesWithoutLossOrDuplicate()
    {
        using var server = PostgresServer.StartPrivate();
        await using var dovecot = await DovecotServer.StartAsync();
        using var sinkDir = new TempDir();
        await using var sink = await SmtpSink.StartAsync(sinkDir.Path);
        await using var peer = await OperatorPeer.StartAsync();
        using var dirA = new TempDir();
        using var dirB = new TempDir();
        var db = TestDatabase.Create(StoreKind.Postgres, dirA.Path, server: server);
        var environment = Environment(dovecot, sink, peer, db);
        await using var nodeA = await GatewayProcess.StartAsync(dirA.Path, environment);
        await using var nodeB = await GatewayProcess.StartAsync(dirB.Path, environment);
        GatewayProcess[] nodes = [nodeA, nodeB];
        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact, Timeout = TimeSpan.FromSeconds(5) };
        await WaitHealthyAsync(http, nodes, TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        DeliverNew(dovecot, 0, BeforeOutage);
        var load = new OperatorLoad(nodes.Select(n => n.Url), clock);
        TimeSpan stopped, restarting, restarted, healthyAfter;
        var unhealthy = new bool[nodes.Length];
        await using (load)
        {
            // Load and intake both under way before the database goes.
            await Eventually.WaitAsync(() => (load.Ok.Count, db.CountOrMinusOne("SELECT COUNT(*) FROM mail_inbound")), p => p.Item1 >= 20 && p.Item2 >= 1, TimeSpan.FromSeconds(60), "complaints and mail taken before the restart");

            var beforeStop = clock.Elapsed;
            server.Stop();
            stopped = clock.Elapsed;
            try
            {
                DeliverNew(dovecot, BeforeOutage, DuringOutage);
                for (var i = 0; i < Replies; i++)
                {
                    dovecot.Deliver(Mail($"c{i}@example.cn", $"Re: 咨询 {i}", $"第 {i} 位客户的补充", $"r{i}@example.cn", inReplyTo: $"m{i}@example.cn"));
                }

                // Down at least MinOutage, and until both nodes said so on /healthz and a call was refused (bounded).
                while (clock.Elapsed - beforeStop < TimeSpan.FromSeconds(40)
                    && !(clock.Elapsed - beforeStop >= MinOutage && unhealthy.All(u => u) && load.Calls.Any(c => c.Status == StatusCode.Unavailable && c.StartedAt > stopped)))
                {
                    for (var i = 0; i < nodes.Length; i++)
                    {
                        unhealthy[i] |= (await HealthAsync(http, nodes[i])).Code == 503;
                    }

                    await Task.Delay(200);
                }
            }
            finally
            {
                restarting = clock.Elapsed;
                server.Start();
            }

            restarted = clock.Elapsed;
            // This process's own pooled connections died with the server, as the nodes' did.
            using (var pooled = new NpgsqlConnection(db.ConnectionString))
            {
                NpgsqlConnection.ClearPool(pooled);
            }

            output.WriteLine($"PostgreSQL down for {Seconds(restarted - beforeStop)} (stop began at {Seconds(beforeStop)}, start ended at {Seconds(restarted)})");
            await WaitHealthyAsync(http, nodes, TimeSpan.FromSeconds(60));
            healthyAfter = clock.Elapsed - restarted;
            output.WriteLine($"both nodes healthy again {Seconds(healthyAfter)} after PostgreSQL was back");

            DeliverNew(dovecot, BeforeOutage + DuringOutage, AfterOutage);
            var okBefore = load.Ok.Count;
            await Eventually.WaitAsync(() => load.Ok.Count, n => n >= okBefore + 20, TimeSpan.FromSeconds(60), "complaints accepted after the restart");
            load.StopNewOrders();
            await Eventually.WaitAsync(() => load.Pending, n => n == 0, TimeSpan.FromSeconds(60), "every failed complaint retried to an OK");
        }

        var calls = load.Calls;
        var during = calls.Where(c => c.StartedAt >= stopped && c.EndedAt <= restarting).ToList();
        output.WriteLine($"operator calls: {calls.Count} in all, {Count(calls, StatusCode.OK)} OK, {Count(calls, StatusCode.Unavailable)} UNAVAILABLE, {calls.Count(c => c.Status is not (StatusCode.OK or StatusCode.Unavailable))} other ({string.Join(", ", calls.Where(c => c.Status is not (StatusCode.OK or StatusCode.Unavailable)).GroupBy(c => c.Status).Select(g => $"{g.Key} {g.Count()}"))})");
        output.WriteLine($"calls made entirely while PostgreSQL was down: {during.Count}, {Count(during, StatusCode.OK)} OK, {Count(during, StatusCode.Unavailable)} UNAVAILABLE");
        output.WriteLine($"order_ids: {load.Sent.Count} sent, {load.Ok.Count} OK'd, {calls.Where(c => c.Status != StatusCode.OK).Select(c => c.OrderId).Distinct().Count()} retried after a failure");
        output.WriteLine($"/healthz said 503 during the outage: node A {unhealthy[0]}, node B {unhealthy[1]}");

        // Mail: the intake resumed and took everything once.
        await Eventually.WaitAsync(() => dovecot.Count("INBOX"), n => n == 0, TimeSpan.FromSeconds(60), "INBOX emptied");
        await Eventually.WaitAsync(() => db.CountOrMinusOne("SELECT COUNT(*) FROM outbox WHERE purpose = 'acknowledgement' AND status = 'sent'"), n => n >= NewMails, TimeSpan.FromSeconds(60), "acknowledgements sent");
        var acks = (await sink.WaitForAsync(m => Acknowledgements(m).Select(a => a.MessageId).Distinct().Count() >= NewMails, TimeSpan.FromSeconds(30))).Where(IsAcknowledgement).ToList();
        // The operator's Accepted update of every complaint left the update outbox and reached the receiver.
        await Eventually.WaitAsync(() => load.Sent.Count(o => peer.Received.For(o).Any(u => u.Sequence == 1)), n => n == load.Sent.Count, TimeSpan.FromSeconds(60), "the Accepted update of every complaint at the operator");

        var inbound = db.CountOrMinusOne("SELECT COUNT(*) FROM mail_inbound");
        var mailTickets = db.CountOrMinusOne("SELECT COUNT(*) FROM tickets WHERE customer_email IS NOT NULL");
        var complaints = ComplaintsPerOrder(db);
        output.WriteLine($"after: mail_inbound {inbound}, mail tickets {mailTickets}, acknowledgements in outbox {db.CountOrMinusOne("SELECT COUNT(*) FROM outbox WHERE purpose = 'acknowledgement'")}, at the SMTP sink {acks.Count} ({acks.Select(a => a.MessageId).Distinct().Count()} distinct Message-IDs), complaints {complaints.Count}, operator tickets {db.CountOrMinusOne("SELECT COUNT(*) FROM tickets WHERE operator_order_id IS NOT NULL")}");

        Assert.All(nodes, n => Assert.True(Alive(n.Pid), $"node {n.Url} exited:\n{n.Log}"));
        Assert.True(unhealthy.All(u => u), $"/healthz never answered 503 during the outage (A {unhealthy[0]}, B {unhealthy[1]})");
        Assert.Contains(calls, c => c.Status == StatusCode.Unavailable && c.StartedAt >= stopped);
        // A failed call is UNAVAILABLE and nothing else (the operator's cue to retry), and no call made wholly while the database was down got an OK.
        Assert.DoesNotContain(calls, c => c.Status is not (StatusCode.OK or StatusCode.Unavailable));
        Assert.DoesNotContain(during, c => c.Status == StatusCode.OK);

        Assert.Equal(NewMails + Replies, inbound);
        Assert.Equal(NewMails, mailTickets);
        Assert.Equal(NewMails, db.CountOrMinusOne("SELECT COUNT(DISTINCT customer_email) FROM tickets WHERE customer_email IS NOT NULL"));
        Assert.Equal(NewMails + Replies, db.CountOrMinusOne("SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.customer_email IS NOT NULL AND m.direction = 'inbound'"));
        Assert.Equal(NewMails + Replies, db.CountOrMinusOne("SELECT COUNT(DISTINCT m.message_id) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.customer_email IS NOT NULL AND m.direction = 'inbound'"));
        Assert.Equal(Replies, db.CountOrMinusOne("""
            SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id
            WHERE m.message_id LIKE 'r%' AND t.customer_email = 'c' || SUBSTR(m.message_id, 2)
            """));
        Assert.Equal(NewMails, db.CountOrMinusOne("SELECT COUNT(*) FROM outbox WHERE purpose = 'acknowledgement'"));
        Assert.Equal(NewMails, db.CountOrMinusOne("SELECT COUNT(DISTINCT ticket_id) FROM outbox WHERE purpose = 'acknowledgement'"));
        // At the sink: one acknowledgement per customer; a resend after a lost answer would carry the same Message-ID.
        Assert.Equal(NewMails, acks.Select(a => a.MessageId).Distinct().Count());
        Assert.All(acks.GroupBy(a => a.To.Mailboxes.Single().Address), g => Assert.Single(g.Select(a => a.MessageId).Distinct()));
        Assert.Equal(NewMails, acks.Select(a => a.To.Mailboxes.Single().Address).Distinct().Count());

        // Every order_id sent (each OK'd, some after failed tries) is exactly one complaint with one ticket.
        Assert.Equal(load.Sent.Order(StringComparer.Ordinal), load.Ok.Order(StringComparer.Ordinal));
        Assert.Equal(load.Sent.Order(StringComparer.Ordinal), complaints.Keys.Order(StringComparer.Ordinal));
        Assert.All(complaints, c => Assert.Equal(1L, c.Value));
        Assert.Equal(load.Sent.Count, db.CountOrMinusOne("SELECT COUNT(*) FROM tickets WHERE operator_order_id IS NOT NULL"));
    }

    private static Dictionary<string, string> Environment(DovecotServer dovecot, SmtpSink sink, OperatorPeer peer, TestDatabase db)
    {
        var environment = dovecot.GatewayEnvironment(TimeSpan.FromSeconds(1));
        foreach (var settings in new[] { ReplyStack.Environment(sink.Port), Exchange.Settings(peer.Url), new Dictionary<string, string>(db.Environment) })
        {
            foreach (var (key, value) in settings)
            {
                environment[key] = value;
            }
        }

        // A short lease: the outage outlasts it, so the leader's term ends and a node is elected again after it.
        environment["Mail__Imap__LeaderLease"] = "00:00:05";
        return environment;
    }

    private static void DeliverNew(DovecotServer dovecot, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            dovecot.Deliver(Mail($"c{i}@example.cn", $"咨询 {i}", $"第 {i} 位客户的问题", $"m{i}@example.cn"));
        }
    }

    private static byte[] Mail(string from, string subject, string body, string messageId, string? inReplyTo = null) =>
        System.Text.Encoding.UTF8.GetBytes(
            $"From: {from}\r\nTo: {ReplyStack.Support}\r\nSubject: {subject}\r\nMessage-ID: <{messageId}>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0800\r\n"
            + (inReplyTo is null ? "" : $"In-Reply-To: <{inReplyTo}>\r\n")
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n");

    private static bool IsAcknowledgement(MimeKit.MimeMessage mail) =>
        mail.To.Mailboxes.Count() == 1 && mail.To.Mailboxes.Single().Address.EndsWith("@example.cn", StringComparison.Ordinal);

    private static IEnumerable<MimeKit.MimeMessage> Acknowledgements(IReadOnlyList<MimeKit.MimeMessage> mails) => mails.Where(IsAcknowledgement);

    private static Dictionary<string, long> ComplaintsPerOrder(TestDatabase db)
    {
        using var connection = db.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT order_id, COUNT(*) FROM operator_complaints GROUP BY order_id";
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, long>();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private static async Task<(int Code, string Status)> HealthAsync(HttpClient http, GatewayProcess node)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(node.Url + "/healthz"));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return ((int)response.StatusCode, body.RootElement.GetProperty("status").GetString()!);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (0, ex.GetType().Name);
        }
    }

    private static async Task WaitHealthyAsync(HttpClient http, GatewayProcess[] nodes, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        var last = new (int Code, string Status)[nodes.Length];
        while (true)
        {
            for (var i = 0; i < nodes.Length; i++)
            {
                last[i] = await HealthAsync(http, nodes[i]);
            }

            if (last.All(h => h == (200, "Healthy")))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < until, $"the nodes did not report Healthy within {timeout}: {string.Join(", ", last)}");
            await Task.Delay(100);
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int Count(IEnumerable<OperatorLoad.Call> calls, StatusCode status) => calls.Count(c => c.Status == status);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture);
}
