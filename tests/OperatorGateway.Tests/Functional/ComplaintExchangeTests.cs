using Grpc.Core;
using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Protos.Operator.V1;
using TicketGateway.Tickets.Duty;

namespace TicketGateway.OperatorGateway.Tests.Functional;

/// <summary>
/// The operator exchange end to end: the gateway (in memory, or the real process where start-up, a kill or
/// the process's own log is the point) and a real operator-side gRPC server it calls back.
/// </summary>
[RunsLong]
public abstract class ComplaintExchangeTests(StoreKind engine)
{
    [Fact]
    public async Task Exchange_FullLifecycle_OperatorReceivesEveryUpdateInSequence()
    {
        await using var rig = await ExchangeRig.StartInMemoryAsync(engine);
        var (a, peer, desk) = (rig.A, rig.Peer, rig.Desk);

        // Submit, then the same request again, then the same order id with other content.
        var request = Exchange.Complaint("WO-1001");
        var replyBy = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
        request.ReplyBy = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(replyBy);
        var receipt = await a.SubmitComplaintAsync(request);
        Assert.Equal("WO-1001", receipt.OrderId);
        Assert.Matches("^TG-[0-9]+$", receipt.TicketRef);
        Assert.Equal(1, receipt.Level);
        Assert.Equal(request.ReplyBy, receipt.ResolveDueAt); // reply_by is earlier than the level-1 deadline of 2 hours
        Assert.Equal(receipt, await a.SubmitComplaintAsync(request));
        var conflicting = request.Clone();
        conflicting.Content += " 补充：扣了两次。";
        Assert.Equal(StatusCode.AlreadyExists, (await Exchange.FailsAsync(() => a.SubmitComplaintAsync(conflicting).ResponseAsync)).StatusCode);

        using (var list = await desk.JsonAsync("tickets", "list", "--channel", "operator", "--json"))
        {
            var t = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal(receipt.TicketRef, t.GetProperty("ref").GetString());
            Assert.Equal("complaint", t.GetProperty("kind").GetString());
            Assert.Equal("WO-1001", t.GetProperty("operator").GetProperty("orderId").GetString());
        }

        var status = await a.GetComplaintAsync(new GetComplaintRequest { OrderId = "WO-1001" });
        Assert.Equal(ComplaintState.Received, status.State);
        Assert.Equal(UpdateKind.Accepted, status.Updates[0].Update.Kind);

        status = await a.AddSupplementAsync(new AddSupplementRequest { OrderId = "WO-1001", Content = "用户补充：扣费短信截图已附。" });
        status = await a.UrgeAsync(new UrgeRequest { OrderId = "WO-1001", Reason = "用户第三次来电催办" });
        Assert.Equal("WO-1001", status.OrderId);

        // Agents work the ticket on the CLI; the observer queues the operator's updates.
        await desk.OkAsync("tickets", "level", receipt.TicketRef, "2");
        // Every agent reply, not only the first, goes to the operator as a progress update with its text.
        var reply = await desk.RunAsync("reply", receipt.TicketRef, "--text", "已联系用户核实扣费记录。");
        Assert.True(reply.ExitCode == 0, reply.Stderr);
        Assert.Contains("operator op-a (progress update)", reply.Stdout, StringComparison.Ordinal);
        await desk.OkAsync("reply", receipt.TicketRef, "--text", "退费申请已提交，三个工作日内到账。");
        await desk.OkAsync("operator", "refund", receipt.TicketRef, "1000");
        await desk.OkAsync("tickets", "resolve", receipt.TicketRef, "--text", "已核实误扣，退费 10 元。");
        status = await a.ReportSatisfactionAsync(new ReportSatisfactionRequest { OrderId = "WO-1001", Result = SatisfactionResult.Satisfied, Comment = "满意" });
        Assert.Equal(ComplaintState.Resolved, status.State);
        Assert.Equal(SatisfactionResult.Satisfied, status.Satisfaction);
        Assert.Equal("已核实误扣，退费 10 元。", status.Resolution);

        var updates = await peer.Received.WaitForAsync("WO-1001", 5);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], updates.Select(u => u.Sequence).Distinct());
        Assert.Equal([UpdateKind.Accepted, UpdateKind.Progress, UpdateKind.Progress, UpdateKind.Progress, UpdateKind.Resolved], updates.DistinctBy(u => u.Sequence).Select(u => u.Kind));
        var distinct = updates.DistinctBy(u => u.Sequence).ToList();
        Assert.Contains("客服答复：已联系用户核实扣费记录。", distinct[2].Message, StringComparison.Ordinal);
        Assert.Contains("客服答复：退费申请已提交，三个工作日内到账。", distinct[3].Message, StringComparison.Ordinal);
        // No agent identity on the CLI yet: the desk's configured name (Replies:SupportName) handled it.
        Assert.Equal("TicketGateway", distinct[3].Handler);
        Assert.All(updates, u => Assert.Equal(receipt.TicketRef, u.TicketRef));
        Assert.Contains("已核实误扣", updates[^1].Message, StringComparison.Ordinal);
        Assert.Contains("已退费 10.00 元", updates[^1].Message, StringComparison.Ordinal);
        Assert.StartsWith($"您的投诉已受理（工单 {receipt.TicketRef}，1 级投诉）", updates[0].Message, StringComparison.Ordinal);
        Assert.Contains("投诉级别由 1 级调整为 2 级", updates[1].Message, StringComparison.Ordinal);
        Assert.Equal(2, updates[^1].Level);
        Assert.Equal(1000, updates[^1].RefundFen);
        using (var alerts = await desk.JsonAsync("operator", "alerts", "--json"))
        {
            // The urge is an alert of the one alert mechanism; without webhook, mail or roster its channels say so.
            var alert = Assert.Single(alerts.RootElement.EnumerateArray());
            Assert.Equal("urge", alert.GetProperty("kind").GetString());
            Assert.Equal(receipt.TicketRef, alert.GetProperty("ticket").GetString());
            Assert.Equal("op-a", alert.GetProperty("operator").GetString());
            Assert.Contains("用户第三次来电催办", alert.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(("disabled", "disabled"), (alert.GetProperty("chat").GetString(), alert.GetProperty("email").GetString()));
        }

        using (var show = await desk.JsonAsync("tickets", "show", receipt.TicketRef, "--json"))
        {
            var root = show.RootElement;
            Assert.Equal("satisfied", root.GetProperty("satisfaction").GetString());
            var actions = root.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToList();
            Assert.Contains("urged", actions);
            Assert.Contains("alert", actions);
            Assert.Contains("satisfaction", actions);
            // The first reply of an operator complaint is its `accepted` update reaching the operator.
            Assert.Contains("first-reply", actions);
            var accepted = root.GetProperty("acceptedAt").GetDateTimeOffset();
            var firstReply = root.GetProperty("firstReplyAt").GetDateTimeOffset();
            Assert.InRange(firstReply, accepted, accepted.AddMinutes(1));
            Assert.Equal(4, root.GetProperty("messages").GetArrayLength()); // the complaint, the supplement and the two replies
            var filed = root.GetProperty("operator");
            Assert.Equal(("fee_dispute", "SP-MUSIC-01"), (filed.GetProperty("category").GetString(), filed.GetProperty("serviceCode").GetString()));
        }

        var shown = await desk.RunAsync("tickets", "show", receipt.TicketRef);
        Assert.Contains("operator   op-a order WO-1001, category fee_dispute, service SP-MUSIC-01", shown.Stdout, StringComparison.Ordinal);

        // A second complaint the subscriber withdraws; the operator flags it as a repeat of the first.
        var second = Exchange.Complaint("WO-1002");
        second.Repeat = true;
        var secondReceipt = await a.SubmitComplaintAsync(second);
        var withdrawn = await a.WithdrawAsync(new WithdrawRequest { OrderId = "WO-1002", Reason = "用户已自行解决" });
        Assert.Equal(ComplaintState.Withdrawn, withdrawn.State);
        Assert.Equal(ComplaintState.Withdrawn, (await a.GetComplaintAsync(new GetComplaintRequest { OrderId = "WO-1002" })).State);
        var secondUpdates = await peer.Received.WaitForAsync("WO-1002", 2);
        Assert.Equal([UpdateKind.Accepted, UpdateKind.Withdrawn], secondUpdates.DistinctBy(u => u.Sequence).Select(u => u.Kind));
        using (var show = await desk.JsonAsync("tickets", "show", secondReceipt.TicketRef, "--json"))
        {
            Assert.Equal(receipt.TicketRef, show.RootElement.GetProperty("repeatOf").GetString());
            Assert.Equal("closed", show.RootElement.GetProperty("status").GetString());
        }

        // Once delivered, GetComplaint reports the delivery time of each update.
        var final = await a.GetComplaintAsync(new GetComplaintRequest { OrderId = "WO-1001" });
        Assert.Equal([1L, 2L, 3L, 4L, 5L], final.Updates.Select(u => u.Update.Sequence));
    }

    [Fact]
    public async Task Submit_StoreRefusesTheTicketForGood_InternalNotUnavailable_ThenAcceptedOnceTheCauseIsGone()
    {
        await using var rig = await ExchangeRig.StartInMemoryAsync(engine);
        // A refusal the store gives every time (as a constraint or a broken statement would): a trigger on the tickets table.
        if (engine == StoreKind.Postgres)
        {
            rig.Desk.Db.Scalar("CREATE FUNCTION tg_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation'; END $$");
            rig.Desk.Db.Scalar("CREATE TRIGGER tg_test_refuse BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tg_test_refuse()");
        }
        else
        {
            rig.Desk.Db.Scalar("CREATE TRIGGER tg_test_refuse BEFORE INSERT ON tickets BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        }

        var request = Exchange.Complaint("WO-REFUSED");
        var refused = await Exchange.FailsAsync(() => rig.A.SubmitComplaintAsync(request).ResponseAsync);

        // Not UNAVAILABLE: that tells the operator to retry in a few seconds, and a retry meets the same refusal.
        Assert.Equal(StatusCode.Internal, refused.StatusCode);
        Assert.StartsWith("The ticket store refused this call, so nothing of it was committed;", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("refused by the test", rig.Log, StringComparison.Ordinal);
        Assert.Equal(0L, rig.Desk.Db.CountOrMinusOne("SELECT COUNT(*) FROM operator_complaints"));

        rig.Desk.Db.Scalar(engine == StoreKind.Postgres ? "DROP TRIGGER tg_test_refuse ON tickets" : "DROP TRIGGER tg_test_refuse");
        var receipt = await rig.A.SubmitComplaintAsync(request);
        Assert.Matches("^TG-[0-9]+$", receipt.TicketRef);
        Assert.Equal(receipt, await rig.A.SubmitComplaintAsync(request));
    }

    [Fact]
    public async Task Refund_UnwantedSubscription_OperatorGetsItWithTheResolution_ContentComplaintRefused()
    {
        await using var rig = await ExchangeRig.StartInMemoryAsync(engine);
        var unwanted = Exchange.Complaint("SUB-1");
        unwanted.Category = ComplaintCategory.UnwantedSubscription;
        var receipt = await rig.A.SubmitComplaintAsync(unwanted);
        var content = Exchange.Complaint("CONTENT-1", "13900139000");
        content.Category = ComplaintCategory.Content;
        var contentReceipt = await rig.A.SubmitComplaintAsync(content);

        await rig.Desk.OkAsync("operator", "refund", receipt.TicketRef, "500");
        await rig.Desk.OkAsync("tickets", "resolve", receipt.TicketRef, "--text", "用户未知情定制，已退订并退费。");
        var refused = await rig.Desk.RunAsync("operator", "refund", contentReceipt.TicketRef, "500");

        var resolved = (await rig.Peer.Received.WaitForAsync("SUB-1", 2)).Last(u => u.Kind == UpdateKind.Resolved);
        Assert.Equal(500, resolved.RefundFen);
        Assert.Contains("已退费 5.00 元", resolved.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("is a content complaint, not about a charge", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_EveryCall_CarriesThatOperatorsCallbackKey()
    {
        await using var rig = await ExchangeRig.StartAsync(engine);

        await rig.A.SubmitComplaintAsync(Exchange.Complaint("KEY-A"));
        await rig.B.SubmitComplaintAsync(Exchange.Complaint("KEY-B"));

        await rig.Peer.Received.WaitForAsync("KEY-A", 1);
        await rig.Peer.Received.WaitForAsync("KEY-B", 1);
        var presented = rig.Peer.Received.Credentials.Select(c => c.Authorization).ToList();
        Assert.All(presented, p => Assert.Contains(p, new[] { "Bearer " + Exchange.CallbackKeyA, "Bearer " + Exchange.CallbackKeyB }));
        Assert.Contains("Bearer " + Exchange.CallbackKeyA, presented);
        Assert.Contains("Bearer " + Exchange.CallbackKeyB, presented);
        Assert.DoesNotContain(Exchange.CallbackKeyA, rig.Gateway.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Urge_ServedGateway_PersonOnDutyGetsChatPostAndMailAtOnce()
    {
        using var sinkDir = new TempDir();
        await using var sink = await SmtpSink.StartAsync(sinkDir.Path);
        await using var robot = await WebhookReceiver.StartAsync(failFirst: 0);
        var settings = ReplyStack.Environment(sink.Port).Select(kv => (kv.Key, kv.Value)).ToList();
        settings.AddRange(
        [
            // A scan interval far longer than the test: only the urge's wake-up can make the worker post it.
            ("Alerts__ScanInterval", "00:30:00"),
            ("Alerts__Webhook__Url", robot.Url),
            ("Duty__People__0__Name", "值班员"),
            ("Duty__People__0__Email", "zhiban@desk.test"),
            ("Duty__People__0__Mobile", "13800000009"),
            ("Duty__People__0__Shifts__0__From", "00:00:00"),
            ("Duty__People__0__Shifts__0__To", "00:00:00"),
        ]);
        settings.AddRange(Enum.GetNames<DayOfWeek>().Select((d, i) => ($"Duty__People__0__Shifts__0__Days__{i}", d)));
        await using var rig = await ExchangeRig.StartInMemoryAsync(engine, [.. settings]);
        var receipt = await rig.A.SubmitComplaintAsync(Exchange.Complaint("URGE-1"));
        // Past the worker's first round at start-up: from here only the urge's wake-up can make it post.
        await Eventually.Until(() => rig.InMemory.Worker<AlertWorker>().Rounds >= 1, "the alert worker's first round");

        await rig.A.UrgeAsync(new UrgeRequest { OrderId = "URGE-1", Reason = "用户多次来电" });

        var mail = (await sink.WaitForAsync(m => m.Any(x => x.To.Mailboxes.Any(a => a.Address == "zhiban@desk.test")))).Single(x => x.To.Mailboxes.Any(a => a.Address == "zhiban@desk.test"));
        Assert.Equal($"[{receipt.TicketRef}] 催办：未订购却被扣费 10 元", mail.Subject);
        Assert.Contains("用户多次来电", mail.TextBody, StringComparison.Ordinal);
        await WaitAsync(() => robot.Accepted.Count == 1, "the urge was not posted to the chat robot");
        Assert.Contains("用户多次来电", robot.Accepted[0].GetProperty("text").GetProperty("content").GetString(), StringComparison.Ordinal);
        await WaitAsync(
            async () =>
            {
                using var alerts = await rig.Desk.JsonAsync("operator", "alerts", "--json");
                var alert = alerts.RootElement.EnumerateArray().Single();
                return (alert.GetProperty("chat").GetString(), alert.GetProperty("email").GetString(), alert.GetProperty("emailTo").GetString()) == ("sent", "sent", "zhiban@desk.test");
            },
            "the urge alert's channels did not both become sent");
    }

    [Fact]
    public async Task Delivery_OperatorDownAndGatewayKilled_EveryUpdateArrivesInOrder()
    {
        await using var peer = await OperatorPeer.StartAsync();
        peer.Received.Unavailable = true;
        using var desk = new Desk(engine);
        var settings = Exchange.Settings(peer.Url, ("OperatorGateway__Delivery__UndeliveredAlertAfter", "00:00:01"));
        var first = await desk.StartAsync(settings);
        string resolvedRef;
        using (var channel = GrpcChannel.ForAddress(first.Url))
        {
            var a = Exchange.Client(channel, Exchange.KeyA);
            resolvedRef = (await a.SubmitComplaintAsync(Exchange.Complaint("DOWN-1"))).TicketRef;
            await a.SubmitComplaintAsync(Exchange.Complaint("DOWN-2", "13900139000"));
            var progressing = (await a.SubmitComplaintAsync(Exchange.Complaint("DOWN-3", "13700137000"))).TicketRef;
            await desk.OkAsync("tickets", "level", resolvedRef, "3");
            await desk.OkAsync("tickets", "resolve", resolvedRef, "--text", "已退费");
            await a.WithdrawAsync(new WithdrawRequest { OrderId = "DOWN-2" });
            await desk.OkAsync("tickets", "status", progressing, "open");
            await desk.OkAsync("tickets", "level", progressing, "2");
        }

        await WaitAsync(() => peer.Received.Refused >= 3, "the gateway never tried the operator while it was down");
        await first.KillAsync();
        await first.DisposeAsync();

        await using var second = await desk.StartAsync(settings);
        // Still down after a second: the person on duty is alerted (history line and an undelivered-update alert).
        await WaitAsync(
            async () =>
            {
                using var show = await desk.JsonAsync("tickets", "show", resolvedRef, "--json");
                return show.RootElement.GetProperty("history").EnumerateArray().Any(h =>
                    h.GetProperty("action").GetString() == "alert" && h.GetProperty("detail").GetString()!.StartsWith("undelivered-update", StringComparison.Ordinal));
            },
            "no undelivered alert was raised");
        using (var alerts = await desk.JsonAsync("operator", "alerts", "--json"))
        {
            Assert.Contains(alerts.RootElement.EnumerateArray(), a => a.GetProperty("kind").GetString() == "undelivered-update" && a.GetProperty("ticket").GetString() == resolvedRef);
        }

        peer.Received.Unavailable = false;

        foreach (var (order, kinds) in new[]
        {
            ("DOWN-1", new[] { UpdateKind.Accepted, UpdateKind.Progress, UpdateKind.Resolved }),
            ("DOWN-2", new[] { UpdateKind.Accepted, UpdateKind.Withdrawn }),
            ("DOWN-3", new[] { UpdateKind.Accepted, UpdateKind.Progress, UpdateKind.Progress }),
        })
        {
            var got = await peer.Received.WaitForAsync(order, kinds.Length);
            var sequences = got.Select(u => u.Sequence).ToList();
            // In order: never an older sequence after a newer one; every sequence at least once.
            Assert.Equal(sequences.Order(), sequences);
            Assert.Equal(Enumerable.Range(1, kinds.Length).Select(i => (long)i), sequences.Distinct());
            Assert.Equal(kinds, got.DistinctBy(u => u.Sequence).Select(u => u.Kind));
        }

        // Two gateway processes scanned the stuck updates: still one alert per update.
        using var stuck = await desk.JsonAsync("operator", "alerts", "--json");
        var perUpdate = stuck.RootElement.EnumerateArray()
            .Where(a => a.GetProperty("kind").GetString() == "undelivered-update")
            .Select(a => System.Text.RegularExpressions.Regex.Match(a.GetProperty("detail").GetString()!, @"update \d+ of order \S+").Value)
            .ToList();
        Assert.NotEmpty(perUpdate);
        Assert.DoesNotContain("", perUpdate);
        Assert.Equal(perUpdate.Count, perUpdate.Distinct().Count());
    }

    [Fact]
    public async Task Delivery_OperatorPortClosed_LogsOneLinePerAttemptWithAddressAndNoStackTrace()
    {
        using var desk = new Desk(engine);
        var callback = $"http://127.0.0.1:{Ports.Closed()}";
        await using var gateway = await desk.StartAsync(Exchange.Settings(callback));
        using var channel = GrpcChannel.ForAddress(gateway.Url);
        await Exchange.Client(channel, Exchange.KeyA).SubmitComplaintAsync(Exchange.Complaint("WO-DOWN"));

        await Eventually.Until(() => gateway.Log.Contains("(attempt 2)", StringComparison.Ordinal), "the second failed delivery attempt to be logged");
        var lines = gateway.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var first = Assert.Single(lines, l => l.Contains("order WO-DOWN", StringComparison.Ordinal) && l.Contains("(attempt 1)", StringComparison.Ordinal));
        Assert.Contains($"op-a order WO-DOWN not delivered to {callback} (attempt 1)", first, StringComparison.Ordinal);
        Assert.Contains("next try in", first, StringComparison.Ordinal);
        Assert.Contains("Connection refused", first, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", gateway.Log, StringComparison.Ordinal);
        Assert.All(lines.Where(l => l.Contains("subchannel", StringComparison.OrdinalIgnoreCase)), l => Assert.Contains(callback, l, StringComparison.Ordinal));
        // Each call's request and response lines of HttpClient stay below the default level.
        Assert.DoesNotContain("System.Net.Http.HttpClient", gateway.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_AcknowledgementLost_SameSequenceArrivesAgainBeforeTheNext()
    {
        await using var rig = await ExchangeRig.StartInMemoryAsync(engine);
        rig.Peer.Received.LoseAcks(2);
        var receipt = await rig.A.SubmitComplaintAsync(Exchange.Complaint("LOST-1"));
        await rig.Desk.OkAsync("tickets", "resolve", receipt.TicketRef, "--text", "已处理");

        var got = await rig.Peer.Received.WaitForAsync("LOST-1", 2);
        Assert.Equal([1L, 1L, 1L, 2L], got.Select(u => u.Sequence));
        Assert.Equal(3, rig.Peer.Received.For("LOST-1").Count(u => u.Kind == UpdateKind.Accepted));
    }

    [Fact]
    public async Task Calls_WrongCredentialsOrMalformedFields_RightStatusNothingStoredStillServing()
    {
        await using var rig = await ExchangeRig.StartInMemoryAsync(engine);
        var (a, b, channel, desk) = (rig.A, rig.B, rig.Channel, rig.Desk);

        Assert.Equal(StatusCode.Unauthenticated, (await Exchange.FailsAsync(() => Exchange.Client(channel, null).SubmitComplaintAsync(Exchange.Complaint("X-1")).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, (await Exchange.FailsAsync(() => Exchange.Client(channel, "key-x-0123456789abcdef").SubmitComplaintAsync(Exchange.Complaint("X-2")).ResponseAsync)).StatusCode);
        Assert.DoesNotContain("key-x-0123456789abcdef", rig.Log, StringComparison.Ordinal);

        await a.SubmitComplaintAsync(Exchange.Complaint("A-1"));
        Assert.Equal(StatusCode.NotFound, (await Exchange.FailsAsync(() => b.GetComplaintAsync(new GetComplaintRequest { OrderId = "A-1" }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Exchange.FailsAsync(() => b.WithdrawAsync(new WithdrawRequest { OrderId = "A-1" }).ResponseAsync)).StatusCode);

        var badMsisdn = Exchange.Complaint("A-2", "12345");
        Assert.Equal("msisdn", Exchange.BadField(await Exchange.FailsAsync(() => a.SubmitComplaintAsync(badMsisdn).ResponseAsync)));
        var oversized = Exchange.Complaint("A-3");
        oversized.Content = new string('长', 20_001);
        Assert.Equal("content", Exchange.BadField(await Exchange.FailsAsync(() => a.SubmitComplaintAsync(oversized).ResponseAsync)));
        var noTime = Exchange.Complaint("A-4");
        noTime.ReceivedAt = null;
        Assert.Equal("received_at", Exchange.BadField(await Exchange.FailsAsync(() => a.SubmitComplaintAsync(noTime).ResponseAsync)));
        var badAttachment = Exchange.Complaint("A-5");
        badAttachment.Attachments[0].Name = "../../etc/passwd";
        Assert.Equal("attachments[0].name", Exchange.BadField(await Exchange.FailsAsync(() => a.SubmitComplaintAsync(badAttachment).ResponseAsync)));
        var badOrder = Exchange.Complaint("has space");
        Assert.Equal("order_id", Exchange.BadField(await Exchange.FailsAsync(() => a.SubmitComplaintAsync(badOrder).ResponseAsync)));
        var noCategory = Exchange.Complaint("A-6");
        noCategory.Category = ComplaintCategory.Unspecified;
        Assert.Equal("category", Exchange.BadField(await Exchange.FailsAsync(() => a.SubmitComplaintAsync(noCategory).ResponseAsync)));

        using var list = await desk.JsonAsync("tickets", "list", "--json");
        Assert.Equal("A-1", Assert.Single(list.RootElement.EnumerateArray()).GetProperty("operator").GetProperty("orderId").GetString());
        Assert.Equal("op-b", (await b.PingAsync(new PingRequest())).OperatorId);
    }

    [Fact]
    public async Task Calls_OverTheOperatorsRateLimit_ResourceExhaustedForThatOperatorOnly()
    {
        await using var rig = await ExchangeRig.StartInMemoryAsync(engine, ("OperatorGateway__RateLimitPerSecond", "1"), ("OperatorGateway__RateLimitBurst", "3"));
        var a = rig.A;

        var codes = new List<StatusCode>();
        for (var i = 0; i < 6; i++)
        {
            try
            {
                await a.PingAsync(new PingRequest());
                codes.Add(StatusCode.OK);
            }
            catch (RpcException ex)
            {
                codes.Add(ex.StatusCode);
            }
        }

        Assert.Contains(StatusCode.ResourceExhausted, codes);
        Assert.Equal("op-b", (await rig.B.PingAsync(new PingRequest())).OperatorId);
    }

    private static Task WaitAsync(Func<bool> condition, string failure) => WaitAsync(() => Task.FromResult(condition()), failure);

    private static async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail(failure);
    }
}

public sealed class ComplaintExchangeTestsOnSqlite() : ComplaintExchangeTests(StoreKind.Sqlite);

public sealed class ComplaintExchangeTestsOnPostgres() : ComplaintExchangeTests(StoreKind.Postgres);
