using TicketGateway.Tickets.Duty;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>
/// Two nodes raising the same due alerts at the same moment raise each once. PostgreSQL only: several
/// nodes share a PostgreSQL store; a SQLite store is served by one process (the serve lock).
/// </summary>
public sealed class AlertsAcrossNodesTests
{
    // Monday 2 November 2026, 09:00 (+08): level-1 complaints accepted then are due at 11:00.
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private const int Complaints = 60;

    [PostgresFact]
    public async Task RaiseDue_TwoNodesAtOnce_EachReminderAndBreachRaisedOnceWithOneMail()
    {
        await using var node1 = new QualityStore(T0, StoreKind.Postgres);
        await using var node2 = new QualityStore(node1);
        for (var i = 0; i < Complaints; i++)
        {
            await node1.Service.CreateAsync(new NewTicket(Channel.Phone, TicketKind.Complaint, new Customer(null, null, $"1380000{i:D4}"), $"扣费投诉 {i}", "text", 1), "test");
        }

        // 80 % of the two hours has passed: reminders; then past the deadline: breaches.
        var raised = new List<int>();
        foreach (var step in new[] { TimeSpan.FromMinutes(100), TimeSpan.FromMinutes(30) })
        {
            node1.Clock.Advance(step);
            var now = node1.Clock.GetUtcNow();
            // Each node raises three times, all six transactions at once.
            var raises = Enumerable.Range(0, 3).SelectMany(_ => new[] { node1, node2 })
                .Select(node => Task.Run(() => node.Service.Database.WriteAsync((c, tx) => node.AlertStore.RaiseDue(c, tx, now))));
            raised.Add((await Task.WhenAll(raises)).Sum());
        }

        Assert.Equal([Complaints, Complaints], raised);
        var alerts = node1.AlertStore.List();
        Assert.Equal(Complaints, alerts.Count(a => a.Kind == AlertKinds.Reminder));
        Assert.Equal(Complaints, alerts.Count(a => a.Kind == AlertKinds.Breach));
        Assert.Equal(2 * Complaints, alerts.Select(a => (a.TicketId, a.Kind)).Distinct().Count());
        // One mail per alert, queued in the transaction that raised it.
        var mails = node1.Outbox.List(null, limit: 1000);
        Assert.Equal(Complaints, mails.Count(m => m.Purpose == "alert:reminder"));
        Assert.Equal(Complaints, mails.Count(m => m.Purpose == "alert:breach"));
    }
}
