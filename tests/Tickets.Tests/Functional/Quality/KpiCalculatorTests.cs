using TicketGateway.Tickets.Kpis;
using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>
/// A hand-computed November 2026 (Asia/Shanghai). Every number asserted below is worked out in the
/// comments next to the tickets, not read back from the code.
/// </summary>
public abstract class KpiCalculatorTests(StoreKind engine)
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    // Report time: 2026-12-02 12:00 (+08). Level 1-3 deadlines of November have passed; C5's level-4 deadline has not.
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, Cst);

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0, int second = 0) => new(2026, month, day, hour, minute, second, Cst);

    [Fact]
    public async Task Compute_HandComputedNovember_EveryNumeratorAndDenominator()
    {
        await using var store = new QualityStore(Now, engine);
        var t = new Builder(store);

        // Outside the month, on both edges of the zone's midnight: not counted.
        await t.Create(TicketKind.Inquiry, Channel.Email, "x@example.com", null, "边界", At(10, 31, 23, 59, 59), replyAfter: TimeSpan.FromMinutes(1), satisfied: true);
        await t.Create(TicketKind.Inquiry, Channel.Email, "x@example.com", null, "边界", At(12, 1, 0), replyAfter: TimeSpan.FromMinutes(1), satisfied: true);

        // Inquiries (inquiry, fee, report), reply due 2 h after acceptance.
        // I1: replied after 1 h (timely), satisfied. Accepted exactly at the month's first instant.
        await t.Create(TicketKind.Inquiry, Channel.Email, "i1@example.com", null, "怎么订购", At(11, 1, 0), TimeSpan.FromHours(1), satisfied: true);
        // I2: fee inquiry, replied after 3 h (late), satisfied.
        await t.Create(TicketKind.Fee, Channel.Phone, null, "13700000002", "话费查询", At(11, 5, 10), TimeSpan.FromHours(3), satisfied: true);
        // I3: problem report, never replied.
        await t.Create(TicketKind.Report, Channel.Email, "i3@example.com", null, "无法登录", At(11, 10, 9), null);
        // I4: replied exactly at the deadline (timely), unsatisfied.
        await t.Create(TicketKind.Inquiry, Channel.Phone, null, "13700000004", "资费咨询", At(11, 20, 15), TimeSpan.FromHours(2), satisfied: false);
        // I5: accepted 23:30 on the month's last day, replied in December (still timely), satisfied.
        await t.Create(TicketKind.Inquiry, Channel.Email, "i5@example.com", null, "业务咨询", At(11, 30, 23, 30), TimeSpan.FromMinutes(30), satisfied: true);
        // => received 5, replied 4 (not I3), timely 3 (I1, I4, I5), satisfied 3 (I1, I2, I5).
        //    Nothing is pending for the reply (every deadline passed); I3 is unresolved without a survey
        //    answer, so its satisfaction is pending: satisfied 3 of 4.

        // Complaints.
        // C1 level 1: replied 30 min (timely), resolved after 1.5 h (on time: due 2 h), satisfied.
        var c1 = await t.Create(TicketKind.Complaint, Channel.Phone, null, "13800000001", "扣费投诉", At(11, 2, 9), TimeSpan.FromMinutes(30), satisfied: true, level: 1, resolveAfter: TimeSpan.FromMinutes(90));
        // C2 level 2: replied after 3 h (late), resolved after 72 h (late: due 48 h), unsatisfied.
        await t.Create(TicketKind.Complaint, Channel.Email, "c2@example.com", null, "无法退订", At(11, 3, 10), TimeSpan.FromHours(3), satisfied: false, level: 2, resolveAfter: TimeSpan.FromHours(72));
        // C3 level 1: same number and subject as C1 (answered 10 days earlier): a repeat complaint. Timely, satisfied, never resolved (past due).
        var c3 = await t.Create(TicketKind.Complaint, Channel.Phone, null, "13800000001", "Re: 扣费投诉！", At(11, 12, 9), TimeSpan.FromHours(1), satisfied: true, level: 1);
        // C4 level 3 from the operator: no reply, never resolved (past due).
        await t.Create(TicketKind.Complaint, Channel.Operator, null, "13900000004", "内容不符", At(11, 15, 10), null, level: 3);
        // C5 level 4: replied timely, satisfied, deadline 7 working days later (2026-12-04) still running.
        var c5 = await t.Create(TicketKind.Complaint, Channel.Email, "c5@example.com", null, "话费争议 service code: XYZ9", At(11, 25, 10), TimeSpan.FromHours(1), satisfied: true, level: 4);
        // C6 level 1: same customer as C5, other subject, same service code: a repeat complaint. Late reply, no survey answer, past due.
        var c6 = await t.Create(TicketKind.Complaint, Channel.Email, "c5@example.com", null, "另一个问题 service code: xyz9", At(11, 28, 10), TimeSpan.FromHours(5), level: 1);
        // => received 6, replied 5 (not C4), timely 3 (C1, C3, C5), repeats 2 (C3, C6), satisfied 3 (C1, C3, C5).
        //    C4 and C6 are unresolved without a survey answer: satisfaction pending, satisfied 3 of 4.

        // Hotline: 6 calls in November, 3 answered within 60 s; one call on 31 October (+08) is outside.
        var cdr = Path.Combine(store.Dir, "calls.csv");
        await File.WriteAllTextAsync(cdr, """
            start,answer,end,caller,disposition
            2026-10-31 23:59:50,2026-10-31 23:59:55,2026-11-01 00:03:00,13600000000,ANSWERED
            2026-11-01 08:00:00,2026-11-01 08:00:10,2026-11-01 08:05:00,13600000001,ANSWERED
            2026-11-02 08:00:00,2026-11-02 08:01:00,2026-11-02 08:05:00,13600000002,ANSWERED
            2026-11-03 08:00:00,2026-11-03 08:01:01,2026-11-03 08:05:00,13600000003,ANSWERED
            2026-11-04 08:00:00,,2026-11-04 08:01:30,13600000004,NO ANSWER
            2026-11-05 08:00:00,,2026-11-05 08:00:05,13600000005,BUSY
            2026-11-30 23:59:00,2026-11-30 23:59:05,2026-12-01 00:10:00,13600000006,ANSWERED
            """);
        var import = await store.Calls.ImportAsync(cdr, strict: true, null, CancellationToken.None);
        Assert.Empty(import.Errors);

        var report = store.Kpis.Compute(KpiMonth.TryParse("2026-11", QualityStore.Zone)!);

        Assert.Equal((3L, 6L), Nd(report, "hotline_answer_rate"));
        Assert.Equal((4L, 5L), Nd(report, "inquiry_reply_rate"));
        Assert.Equal((5L, 6L), Nd(report, "complaint_reply_rate"));
        Assert.Equal((3L, 5L), Nd(report, "inquiry_timely_reply_rate"));
        Assert.Equal((3L, 6L), Nd(report, "complaint_timely_reply_rate"));
        Assert.Equal((2L, 4L), Nd(report, "repeat_complaint_rate"));
        Assert.Equal((3L, 4L), Nd(report, "inquiry_satisfaction_rate"));
        Assert.Equal((3L, 4L), Nd(report, "complaint_satisfaction_rate"));
        Assert.Equal([0L, 0L, 0L, 0L, 0L, 0L, 1L, 2L], report.Indicators.Select(i => i.Pending));
        Assert.Equal(50.00m, report["repeat_complaint_rate"].Rate);
        Assert.Equal(60.00m, report["inquiry_timely_reply_rate"].Rate);
        Assert.All(report.Indicators, i => Assert.False(i.Met));

        // Level 1: C1 on time, C3 and C6 open past due. Level 2: C2 late. Level 3: C4 past due. Level 4: C5 running.
        Assert.Equal(new LevelCompliance(1, 3, 1, 0, 2), report.Levels[0]);
        Assert.Equal(new LevelCompliance(2, 1, 0, 1, 0), report.Levels[1]);
        Assert.Equal(new LevelCompliance(3, 1, 0, 0, 1), report.Levels[2]);
        Assert.Equal(new LevelCompliance(4, 1, 0, 0, 0), report.Levels[3]);
        Assert.Equal(1, report.Levels[3].Pending);

        Assert.Equal(new Dictionary<string, long> { ["email"] = 6, ["operator"] = 1, ["phone"] = 4, ["hotline-calls"] = 6 }, report.ByChannel);
        Assert.Equal(new Dictionary<string, long> { ["inquiry"] = 3, ["fee"] = 1, ["report"] = 1, ["complaint"] = 6 }, report.ByKind);
        Assert.Equal(30, report.Daily.Count);
        Assert.Equal(1, report.Daily[0].Counts["email"]);
        Assert.Equal(1, report.Daily[0].Counts["hotline-calls"]);
        Assert.Equal(1, report.Daily[29].Counts["email"]);

        Assert.Equal(["TG-000005"], report.Missed["inquiry_reply_rate"].Select(m => m.Ref));
        Assert.Equal(["TG-000006"], report.Missed["inquiry_satisfaction_rate"].Select(m => m.Ref));
        Assert.Equal(["TG-000005"], report.Pending["inquiry_satisfaction_rate"].Select(m => m.Ref));
        Assert.Equal([c3.Ref, c6.Ref], report.Missed["repeat_complaint_rate"].Select(m => m.Ref));
        Assert.Equal(["repeat of " + c1.Ref, "repeat of " + c5.Ref], report.Missed["repeat_complaint_rate"].Select(m => m.Reason));
        Assert.Equal(3, report.Missed["hotline_answer_rate"].Count);
        Assert.Equal(c1.Id, store.Service.Get(c3.Ref).Ticket.RepeatOf);
        Assert.Equal(c5.Id, store.Service.Get(c6.Ref).Ticket.RepeatOf);
    }

    [Fact]
    public async Task Compute_MonthStillRunning_NotYetDueIsPendingAndLeftOutOfRates()
    {
        // 2026-11-10 12:00 (+08): November is still running.
        var now = At(11, 10, 12);
        await using var store = new QualityStore(now, engine);
        var t = new Builder(store);

        // A: reply due 13:00, not answered yet: pending (reply and survey).
        var a = await t.Create(TicketKind.Inquiry, Channel.Email, "a@example.com", null, "怎么订购", At(11, 10, 11), null);
        // B: reply was due 10:00, no reply: missed. Unresolved, so its survey may still come: satisfaction pending.
        var b = await t.Create(TicketKind.Inquiry, Channel.Phone, null, "13700000002", "话费查询", At(11, 10, 8), null);
        // C: answered on time, resolved, satisfied.
        await t.Create(TicketKind.Inquiry, Channel.Email, "c@example.com", null, "资费咨询", At(11, 9, 9), TimeSpan.FromHours(1), satisfied: true, resolveAfter: TimeSpan.FromHours(2));
        // D: answered on time, resolved 1 November, no survey answer in the 7 days since: counts as not satisfied.
        var d = await t.Create(TicketKind.Inquiry, Channel.Email, "d@example.com", null, "业务咨询", At(11, 1, 9), TimeSpan.FromHours(1), resolveAfter: TimeSpan.FromHours(1));
        // E: answered on time, resolved yesterday, no survey answer yet: satisfaction pending.
        var e = await t.Create(TicketKind.Inquiry, Channel.Email, "e@example.com", null, "退订咨询", At(11, 9, 9), TimeSpan.FromMinutes(30), resolveAfter: TimeSpan.FromHours(1));
        // => inquiries: received 5, reply pending 1 (A); replied 3 of 4 due, timely 3 of 4; satisfied 1 (C) of 2 decided (C, D), 3 pending.

        // F, G: level 2 (48 h), answered on time, resolution deadlines still running: pending, not "0/2 on time".
        await t.Create(TicketKind.Complaint, Channel.Phone, null, "13800000001", "扣费投诉", At(11, 9, 10), TimeSpan.FromMinutes(30), level: 2);
        await t.Create(TicketKind.Complaint, Channel.Email, "g@example.com", null, "无法退订", At(11, 10, 9), TimeSpan.FromMinutes(30), level: 2);

        var month = KpiMonth.TryParse("2026-11", QualityStore.Zone)!;
        var report = store.Kpis.Compute(month);

        Assert.Equal((3L, 4L), Nd(report, "inquiry_reply_rate"));
        Assert.Equal((3L, 4L), Nd(report, "inquiry_timely_reply_rate"));
        Assert.Equal((1L, 2L), Nd(report, "inquiry_satisfaction_rate"));
        Assert.Equal((2L, 2L), Nd(report, "complaint_reply_rate"));
        Assert.Equal((0L, 0L), Nd(report, "complaint_satisfaction_rate"));
        Assert.Equal([b.Ref], report.Missed["inquiry_reply_rate"].Select(m => m.Ref));
        Assert.Equal([b.Ref], report.Missed["inquiry_timely_reply_rate"].Select(m => m.Ref));
        Assert.Equal([d.Ref], report.Missed["inquiry_satisfaction_rate"].Select(m => m.Ref));
        Assert.Equal(new LevelCompliance(2, 2, 0, 0, 0), report.Levels[1]);
        Assert.Equal((2L, 0L), (report.Levels[1].Pending, report.Levels[1].Decided));
        Assert.Equal([0L, 1L, 0L, 1L, 0L, 0L, 3L, 2L], report.Indicators.Select(i => i.Pending));
        Assert.Equal([a.Ref], report.Pending["inquiry_reply_rate"].Select(m => m.Ref));
        Assert.Equal("pending: reply due 2026-11-10 13:00", Assert.Single(report.Pending["inquiry_timely_reply_rate"]).Reason);
        Assert.Equal([e.Ref, b.Ref, a.Ref], report.Pending["inquiry_satisfaction_rate"].Select(m => m.Ref));
        Assert.Equal(["pending: resolved, survey answer may come until 2026-11-16 10:00", "pending: not resolved yet", "pending: not resolved yet"],
            report.Pending["inquiry_satisfaction_rate"].Select(m => m.Reason));
        Assert.False(report.Pending.ContainsKey("complaint_reply_rate"));
        Assert.Null(report["complaint_satisfaction_rate"].Met);
        Assert.Equal("n/a (nothing due yet, 2 pending)", report["complaint_satisfaction_rate"].RateText);
        Assert.Equal(now, report.GeneratedAt);
        Assert.Equal("2026-11-10T12:00:00+08:00", report.AsOf);

        // "Now" is the injected clock: once A's reply deadline has passed unanswered, A is missed.
        store.Clock.Advance(TimeSpan.FromHours(1.5));
        var later = store.Kpis.Compute(month);
        Assert.Equal((3L, 5L), Nd(later, "inquiry_reply_rate"));
        Assert.Equal(0, later["inquiry_reply_rate"].Pending);
        Assert.Equal([b.Ref, a.Ref], later.Missed["inquiry_reply_rate"].Select(m => m.Ref));
    }

    [Fact]
    public async Task Compute_EmptyMonth_EveryIndicatorHasZeroDenominatorAndNoRate()
    {
        await using var store = new QualityStore(Now, engine);
        var report = store.Kpis.Compute(KpiMonth.TryParse("2026-11", QualityStore.Zone)!);
        Assert.All(report.Indicators, i =>
        {
            Assert.Equal(0, i.Denominator);
            Assert.Null(i.Rate);
            Assert.Null(i.Met);
        });
        Assert.Empty(report.Missed);
    }

    [Fact]
    public async Task Compute_OnlyRepeatComplaints_RepeatRateHasZeroDenominator()
    {
        await using var store = new QualityStore(Now, engine);
        var t = new Builder(store);
        var first = await t.Create(TicketKind.Complaint, Channel.Phone, null, "13800000001", "扣费", At(10, 20, 9), TimeSpan.FromMinutes(5), level: 1);
        var again = await t.Create(TicketKind.Complaint, Channel.Phone, null, "13800000001", "扣费", At(11, 2, 9), null, level: 1);
        Assert.Equal(first.Id, store.Service.Get(again.Ref).Ticket.RepeatOf);

        var report = store.Kpis.Compute(KpiMonth.TryParse("2026-11", QualityStore.Zone)!);
        Assert.Equal((1L, 0L), Nd(report, "repeat_complaint_rate"));
        Assert.Null(report["repeat_complaint_rate"].Rate);
        // Unresolved, no survey answer: its satisfaction is still pending.
        Assert.Equal((0L, 0L), Nd(report, "complaint_satisfaction_rate"));
        Assert.Equal(1, report["complaint_satisfaction_rate"].Pending);
    }

    private static (long, long) Nd(KpiReport report, string key) => (report[key].Numerator, report[key].Denominator);

    /// <summary>Creates tickets through <see cref="TicketService"/> as agents, mail and the operator exchange would.</summary>
    private sealed class Builder(QualityStore store)
    {
        public async Task<Ticket> Create(
            TicketKind kind, Channel channel, string? email, string? phone, string subject, DateTimeOffset accepted,
            TimeSpan? replyAfter, bool? satisfied = null, int? level = null, TimeSpan? resolveAfter = null)
        {
            var service = store.Service;
            var ticket = await service.CreateAsync(new NewTicket(channel, kind, new Customer(null, email, phone), subject, "text", level, AcceptedAt: accepted), "test");
            if (replyAfter is { } reply)
            {
                await service.Database.WriteAsync((c, tx) => service.RecordFirstReply(c, tx, ticket.Id, accepted + reply, "test", "test reply"));
            }

            if (resolveAfter is { } resolve)
            {
                await service.ChangeAsync(ticket.Ref, "test", (x, h) =>
                {
                    h("resolved", "test");
                    return x with { Status = TicketStatus.Resolved, ResolvedAt = accepted + resolve, Resolution = "done" };
                });
            }

            if (satisfied is { } s)
            {
                await service.ChangeAsync(ticket.Ref, "test", (x, h) =>
                {
                    h("satisfaction", "test");
                    return x with { Satisfaction = s ? Satisfaction.Satisfied : Satisfaction.Unsatisfied };
                });
            }

            return ticket;
        }
    }
}

public sealed class KpiCalculatorTestsOnSqlite() : KpiCalculatorTests(StoreKind.Sqlite);

public sealed class KpiCalculatorTestsOnPostgres() : KpiCalculatorTests(StoreKind.Postgres);
