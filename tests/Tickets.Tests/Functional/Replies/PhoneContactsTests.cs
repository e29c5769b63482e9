using Microsoft.Extensions.Time.Testing;
using TicketGateway.Tickets.Kpis;
using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Replies;

/// <summary>
/// Phone contacts counting like the others: an answer given on the phone is the first reply the
/// timely-reply indicators count, and nothing is mailed; a satisfaction said on the phone counts in
/// the satisfaction indicators with the mail survey's answers. Composed as the gateway composes them, on a fake clock.
/// </summary>
public abstract class PhoneContactsTests(StoreKind engine)
{
    // Monday 2 November 2026, 09:00 (+08). Reply deadlines (Sla:FirstReply, 2 h for every kind) fall at 11:00.
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly KpiMonth November = KpiMonth.TryParse("2026-11", TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"))!;

    [Fact]
    public async Task ReplyByPhone_SmallMonth_FirstReplyCountsOnTimeOrLateAndNothingIsMailed()
    {
        var clock = new FakeTimeProvider(T0);
        await using var host = new ReplyHost(engine, clock: clock);
        var onTime = await Phone(host, TicketKind.Inquiry, "13800138001", "怎么退订");
        var late = await Phone(host, TicketKind.Fee, "13800138002", "话费查询");
        var complaint = await Phone(host, TicketKind.Complaint, "13800138003", "扣费投诉", level: 2);
        await Phone(host, TicketKind.Inquiry, "13800138004", "无人答复");

        clock.Advance(TimeSpan.FromMinutes(30));                                   // 09:30: within 2 h
        var answered = await host.WriteAsync((c, tx) => host.Phone.ReplyByPhone(c, tx, onTime.Id, "已告知退订方法：发送 TD 到 10086", "cli"));
        clock.Advance(TimeSpan.FromMinutes(30));                                   // 10:00
        await host.WriteAsync((c, tx) => host.Phone.ReplyByPhone(c, tx, complaint.Id, "已受理，正在核查扣费", "cli"));
        clock.Advance(TimeSpan.FromMinutes(30));                                   // 10:30: a second answer moves nothing
        await host.WriteAsync((c, tx) => host.Phone.ReplyByPhone(c, tx, complaint.Id, "核查中", "cli"));
        clock.Advance(TimeSpan.FromHours(2));                                      // 12:30: an hour and a half late
        await host.WriteAsync((c, tx) => host.Phone.ReplyByPhone(c, tx, late.Id, "本月话费 58 元", "cli"));

        Assert.Equal((T0.AddMinutes(30), TicketStatus.Open), (answered.FirstReplyAt, answered.Status));
        Assert.Equal(T0.AddHours(1), host.Tickets.Get(complaint.Ref).Ticket.FirstReplyAt);
        Assert.Equal(T0.AddHours(3.5), host.Tickets.Get(late.Ref).Ticket.FirstReplyAt);
        var details = host.Tickets.Get(onTime.Ref);
        var message = Assert.Single(details.Messages, m => m.Direction == MessageDirection.Outbound);
        Assert.Equal(("cli", "phone 13800138001", "已告知退订方法：发送 TD 到 10086"), (message.From, message.To, message.Text));
        Assert.Contains(details.History, h => h.Action == "first-reply" && h.Detail.EndsWith("(answered on the phone)", StringComparison.Ordinal));
        Assert.Empty(host.Outbox.List(null));                                      // mail is on (Mail:SupportAddress), and nothing was mailed

        // By hand: inquiries (inquiry, fee, unanswered inquiry) 3, replied 2, on time 1 (09:30 <= 11:00; 12:30 > 11:00);
        // complaints 1, replied on time 1 (10:00). Every reply deadline has passed by 12:30, so nothing is pending.
        var report = host.Kpis.Compute(November);
        Assert.Equal((2L, 3L), Rate(report, "inquiry_reply_rate"));
        Assert.Equal((1L, 3L), Rate(report, "inquiry_timely_reply_rate"));
        Assert.Equal((1L, 1L), Rate(report, "complaint_reply_rate"));
        Assert.Equal((1L, 1L), Rate(report, "complaint_timely_reply_rate"));
    }

    [Fact]
    public async Task RecordSatisfaction_PhoneAndMailAnswers_BothCountInTheSatisfactionIndicators()
    {
        var clock = new FakeTimeProvider(T0);
        await using var host = new ReplyHost(engine, clock: clock);
        var satisfied = await Phone(host, TicketKind.Inquiry, "13800138001", "怎么退订");
        var unsatisfied = await Phone(host, TicketKind.Report, "13800138002", "收不到短信");
        var complaint = await Phone(host, TicketKind.Complaint, "13800138003", "扣费投诉", level: 1);
        var running = await Phone(host, TicketKind.Inquiry, "13800138004", "还在处理");
        var mail = await host.FromMailAsync(ReplyHost.Mail("jane@customer.test", ReplyHost.Support, "订购问题", "怎么订购？"), TicketKind.Inquiry);
        foreach (var t in new[] { satisfied, unsatisfied, complaint, mail })
        {
            await host.Tickets.ResolveAsync(t.Ref, "已解答", "cli");
        }

        await host.Phone.RecordSatisfactionAsync(satisfied.Ref, Satisfaction.Satisfied, null, "cli");
        await host.Phone.RecordSatisfactionAsync(unsatisfied.Ref, Satisfaction.Unsatisfied, null, "cli");
        var (recorded, repeat) = await host.Phone.RecordSatisfactionAsync(complaint.Ref, Satisfaction.Satisfied, "很满意", "cli");
        var refused = await Assert.ThrowsAsync<TicketException>(() => host.Phone.RecordSatisfactionAsync(running.Ref, Satisfaction.Satisfied, null, "cli"));
        // The mail survey stays as it is: the customer answers the survey mail the resolution queued.
        var answered = await host.WriteAsync((c, tx) => host.Surveys.TryHandleSurveyAnswer(c, tx, host.Tickets.Get(mail.Ref).Ticket,
            ReplyHost.Incoming(ReplyHost.Mail("jane@customer.test", ReplyHost.Support, "Re: 满意度调查", "满意"))));

        Assert.True(answered);
        Assert.Equal((Satisfaction.Satisfied, null), (recorded.Satisfaction, repeat));
        Assert.Equal((TicketError.Conflict, $"{running.Ref} is new; satisfaction is recorded once it is resolved."), (refused.Error, refused.Message));
        Assert.Contains(host.Tickets.Get(unsatisfied.Ref).History, h => h.Action == "satisfaction" && h.Detail == "said on the phone: unsatisfied");

        // By hand, at 1 December (every survey window closed): inquiries 4 (the inquiry, the report, the running
        // inquiry, the mail inquiry), the running one pending (unresolved, no answer), so 3 due; satisfied 2
        // (phone + mail). Complaints 1, satisfied 1.
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8)));
        var report = host.Kpis.Compute(November);
        Assert.Equal((2L, 3L), Rate(report, "inquiry_satisfaction_rate"));
        Assert.Equal(1, report["inquiry_satisfaction_rate"].Pending);
        Assert.Equal((1L, 1L), Rate(report, "complaint_satisfaction_rate"));
    }

    private static (long, long) Rate(KpiReport report, string key) => (report[key].Numerator, report[key].Denominator);

    private static Task<Ticket> Phone(ReplyHost host, TicketKind kind, string phone, string subject, int? level = null) =>
        host.Tickets.CreateAsync(new NewTicket(Channel.Phone, kind, new Customer(null, null, phone), subject, "来电内容", level), "cli");
}

public sealed class PhoneContactsTestsOnSqlite() : PhoneContactsTests(StoreKind.Sqlite);

public sealed class PhoneContactsTestsOnPostgres() : PhoneContactsTests(StoreKind.Postgres);
