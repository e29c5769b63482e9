using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Tests.Functional.Quality;

/// <summary>First-reply deadlines alert like resolution deadlines: at the SMTP sink and the robot, once each across restarts.</summary>
public abstract partial class DutyAlertTests
{
    [Fact]
    public async Task Alerts_FirstReplyDeadline_ReminderAndBreachOnceEachInTheSinkAndTheRobotAcrossRestarts()
    {
        using var desk = new Desk(engine);
        await using var sink = await SmtpSink.StartAsync(Path.Combine(desk.Path, "sink"));
        await using var robot = await WebhookReceiver.StartAsync(failFirst: 0);
        var clock = new FakeTimeProvider(T0);
        var rig = Rig.Start(desk.Db, clock, robot.Url, sink.Port);
        try
        {
            // An inquiry (reply due 11:00, no resolution deadline) and one answered on the phone at once.
            var inquiry = await rig.Tickets.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, "13800000001"), "怎么退订", "text"), "test");
            var answered = await rig.Tickets.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Inquiry, new Customer(null, null, "13800000002"), "怎么订购", "text"), "test");
            var phone = rig.Services.GetRequiredService<PhoneContacts>();
            await rig.Tickets.Database.WriteAsync((c, tx) => phone.ReplyByPhone(c, tx, answered.Id, "发送 DG 到 10086", "test"));
            await rig.StartWorkersAsync();

            await rig.AdvanceAsync(TimeSpan.FromMinutes(95));                    // 10:35, 79%: nothing yet
            Assert.Empty(rig.Alerts.List());
            await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                     // 10:36, 80%: the reply reminder
            var reminderMail = Assert.Single(await sink.WaitForAsync(m => m.Count >= 1));
            Assert.Equal($"[{inquiry.Ref}] 期限提醒：怎么退订", reminderMail.Subject);
            Assert.Contains("2026-11-02 11:00", reminderMail.TextBody, StringComparison.Ordinal);
            await Eventually.Until(() => robot.Accepted.Count == 1, "the reply reminder to reach the robot");
            Assert.StartsWith($"【答复提醒】{inquiry.Ref}", robot.Accepted[0].GetProperty("text").GetProperty("content").GetString(), StringComparison.Ordinal);

            await rig.DisposeAsync();
            rig = Rig.Start(desk.Db, clock, robot.Url, sink.Port);
            await rig.StartWorkersAsync();
            await rig.AdvanceAsync(TimeSpan.FromMinutes(23));                    // 10:59: still only the reminder
            Assert.Single(rig.Alerts.List());
            await rig.AdvanceAsync(TimeSpan.FromMinutes(1));                     // 11:00: the reply deadline passes
            var mails = await sink.WaitForAsync(m => m.Count >= 2);
            Assert.Equal($"[{inquiry.Ref}] 告警：怎么退订", mails[1].Subject);
            Assert.Contains("未在首次答复时限 2026-11-02T11:00:00+08:00 前答复", mails[1].TextBody, StringComparison.Ordinal);
            await Eventually.Until(() => robot.Accepted.Count == 2, "the reply breach to reach the robot");

            await rig.DisposeAsync();
            rig = Rig.Start(desk.Db, clock, robot.Url, sink.Port);
            await rig.StartWorkersAsync();
            await rig.AdvanceAsync(TimeSpan.FromHours(3));
            await Eventually.Until(() => rig.Outbox.List(OutboxStatus.Queued).Count + rig.Outbox.List(OutboxStatus.Sending).Count == 0, "the outbox to drain");

            Assert.Equal([AlertKinds.ReplyBreach, AlertKinds.ReplyReminder], rig.Alerts.List().Select(a => a.Kind));
            Assert.All(rig.Alerts.List(), a => Assert.Equal((inquiry.Id, T0.AddHours(2)), (a.TicketId, a.DeadlineAt)));
            Assert.Equal(2, sink.Mails().Count);
            Assert.Equal(2, robot.Accepted.Count);
        }
        finally
        {
            await rig.DisposeAsync();
        }
    }
}
