using TicketGateway.Tickets.Duty;
using TicketGateway.Tickets.Sla;
using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>
/// Deadlines alert for every kind: first-reply reminders and breaches, and a requested deadline (the
/// operator's reply_by) earlier than the level's driving a complaint's alerts; each raised once, also
/// after the store is closed and opened again.
/// </summary>
public abstract class ReplyDeadlineAlertTests(StoreKind engine)
{
    // Monday 2 November 2026, 09:00 (+08). Reply deadlines (2 h) fall at 11:00; 80% of them is 10:36.
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task RaiseDue_FirstReplyDeadlines_ReminderThenBreachOnceEachAcrossARestart()
    {
        await using var store = new QualityStore(T0, engine);
        var inquiry = await CreateAsync(store, TicketKind.Inquiry, null, "怎么退订");
        var level1 = await CreateAsync(store, TicketKind.Complaint, 1, "扣费投诉");     // reply and resolution both due 11:00
        var level3 = await CreateAsync(store, TicketKind.Complaint, 3, "跨省投诉");     // reply due 11:00, resolution days later
        var answered = await CreateAsync(store, TicketKind.Fee, null, "话费查询");
        store.Clock.Advance(TimeSpan.FromMinutes(10));
        await store.Service.Database.WriteAsync((c, tx) => store.Service.RecordFirstReply(c, tx, answered.Id, store.Clock.GetUtcNow(), "cli", "answered on the phone"));

        store.Clock.SetUtcNow(T0.AddMinutes(95));
        Assert.Equal(0, await RaiseAsync(store));
        store.Clock.SetUtcNow(T0.AddMinutes(96));
        Assert.Equal(3, await RaiseAsync(store));
        Assert.Equal(0, await RaiseAsync(store));
        await store.RestartAsync();
        store.Clock.SetUtcNow(T0.AddMinutes(119));
        Assert.Equal(0, await RaiseAsync(store));
        store.Clock.SetUtcNow(T0.AddHours(2));
        Assert.Equal(3, await RaiseAsync(store));
        await store.RestartAsync();
        store.Clock.SetUtcNow(T0.AddHours(5));
        Assert.Equal(0, await RaiseAsync(store));

        var byTicket = store.AlertStore.List().ToLookup(a => a.TicketId);
        Assert.Equal([AlertKinds.ReplyBreach, AlertKinds.ReplyReminder], byTicket[inquiry.Id].Select(a => a.Kind));
        Assert.Equal([AlertKinds.Breach, AlertKinds.Reminder], byTicket[level1.Id].Select(a => a.Kind));
        Assert.Equal([AlertKinds.ReplyBreach, AlertKinds.ReplyReminder], byTicket[level3.Id].Select(a => a.Kind));
        Assert.Empty(byTicket[answered.Id]);
        Assert.All(byTicket[inquiry.Id].Concat(byTicket[level3.Id]), a => Assert.Equal(T0.AddHours(2), a.DeadlineAt));
        var reminder = byTicket[inquiry.Id].Last();
        Assert.Equal((T0.AddMinutes(96), $"【答复提醒】{inquiry.Ref}“怎么退订”已用去首次答复时限的 80%，须于 2026-11-02T11:00:00+08:00 前答复。当前无人值班。"), (reminder.RaisedAt, reminder.Text));
        Assert.Equal($"【答复超时】{level3.Ref}“跨省投诉”未在首次答复时限 2026-11-02T11:00:00+08:00 前答复。当前无人值班。", byTicket[level3.Id].First().Text);

        // The level-3 complaint's reminder mail names the reply deadline it is about, not its resolution deadline.
        var mail = Assert.Single(store.Outbox.List(null), m => m.TicketId == level3.Id && m.Purpose == "alert:" + AlertKinds.ReplyReminder);
        var body = MimeKit.MimeMessage.Load(new MemoryStream(store.Outbox.Mime(mail.Id))).TextBody!;
        Assert.Contains("2026-11-02 11:00", body, StringComparison.Ordinal);
        Assert.Equal(6, store.Outbox.List(null).Count);
    }

    [Fact]
    public async Task RaiseDue_RequestedDeadlineEarlierThanTheLevels_DrivesTheComplaintsAlerts()
    {
        await using var store = new QualityStore(T0, engine);
        var early = await CreateAsync(store, TicketKind.Complaint, 3, "跨省投诉");      // level 3: due days later; reply_by 12:00
        var later = await CreateAsync(store, TicketKind.Complaint, 1, "扣费投诉");      // level 1: due 11:00; reply_by 14:00 changes nothing
        await store.Service.Database.WriteAsync((c, tx) =>
        {
            // Answered at once (as the operator's acceptance reaching it is), so only resolution alerts remain.
            foreach (var (t, replyBy) in new[] { (early, T0.AddHours(3)), (later, T0.AddHours(5)) })
            {
                store.Service.RecordFirstReply(c, tx, t.Id, T0, "operator-delivery", "accepted update reached the operator", keepStatus: true);
                RequestedDeadlines.Set(c, tx, t.Id, replyBy, "operator reply_by");
            }

            return 0;
        });

        store.Clock.SetUtcNow(T0.AddMinutes(100));
        Assert.Equal(1, await RaiseAsync(store));                                        // the level-1 complaint's reminder (96 min)
        store.Clock.SetUtcNow(T0.AddMinutes(143));                                      // 80% of 3 h is 144 min
        Assert.Equal(1, await RaiseAsync(store));                                        // the level-1 complaint's breach (2 h)
        store.Clock.SetUtcNow(T0.AddMinutes(144));
        Assert.Equal(1, await RaiseAsync(store));
        await store.RestartAsync();
        Assert.Equal(0, await RaiseAsync(store));
        store.Clock.SetUtcNow(T0.AddHours(3));
        Assert.Equal(1, await RaiseAsync(store));
        await store.RestartAsync();
        store.Clock.SetUtcNow(T0.AddDays(10));                                         // past the level-3 deadline too: nothing more
        Assert.Equal(0, await RaiseAsync(store));

        var alerts = store.AlertStore.List().ToLookup(a => a.TicketId);
        Assert.Equal([(AlertKinds.Breach, T0.AddHours(3)), (AlertKinds.Reminder, T0.AddHours(3))], alerts[early.Id].Select(a => (a.Kind, a.DeadlineAt)));
        Assert.Equal([(AlertKinds.Breach, T0.AddHours(2)), (AlertKinds.Reminder, T0.AddHours(2))], alerts[later.Id].Select(a => (a.Kind, a.DeadlineAt)));
        Assert.Equal($"【超时】{early.Ref} 3 级投诉“跨省投诉”已超过要求的答复时限（reply_by） 2026-11-02T12:00:00+08:00。当前无人值班。", alerts[early.Id].First().Text);
        Assert.Equal($"【超时】{later.Ref} 1 级投诉“扣费投诉”已超过处理时限 2026-11-02T11:00:00+08:00。当前无人值班。", alerts[later.Id].First().Text);
    }

    private static Task<int> RaiseAsync(QualityStore store) =>
        store.Service.Database.WriteAsync((c, tx) => store.AlertStore.RaiseDue(c, tx, store.Clock.GetUtcNow()));

    private static Task<Ticket> CreateAsync(QualityStore store, TicketKind kind, int? level, string subject) =>
        store.Service.CreateAsync(new NewTicket(Channel.Phone, kind, new Customer(null, null, "13800000001"), subject, "来电内容", level), "cli");
}

public sealed class ReplyDeadlineAlertTestsOnSqlite() : ReplyDeadlineAlertTests(StoreKind.Sqlite);

public sealed class ReplyDeadlineAlertTestsOnPostgres() : ReplyDeadlineAlertTests(StoreKind.Postgres);
