using System.Data.Common;
using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional.Storage;

/// <summary>
/// The update outbox keeps every update it ever delivered. The delivery pass (several times a second) and
/// the alert scan read only the waiting ones, through indexes of the waiting rows alone (schema step 661):
/// no full read of the table, no sort, however many were delivered and however large the backlog. Before
/// that step PostgreSQL read the whole table for every pass (a hash anti-join over all waiting rows) and the
/// alert scan walked the table by id: 6 ms of server time per pass at 1,000 complaints a second.
/// </summary>
public abstract class UpdateQueuePlanTests(StoreKind engine)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task DeliveryPassAndAlertScan_ThousandsDeliveredAndABacklog_ReadTheWaitingIndexesInOrder()
    {
        await using var store = new ModuleStore(Now, engine);
        var tickets = 600;
        await Task.WhenAll(Enumerable.Range(0, tickets).Select(i => store.Service.CreateAsync(
            new NewTicket(Channel.Operator, TicketKind.Complaint, new Customer(null, null, "13900130000"), "投诉 " + i, "扣费投诉", 2), "test")));
        using var connection = store.Db.OpenConnection();
        // Five updates per complaint: the first three delivered everywhere; complaints with an even id have
        // all five, the others wait at update 4 (their head) with update 5 behind it. Queued in sequence
        // order across complaints, so the oldest waiting ones are those of the lowest ids.
        connection.Execute("""
            INSERT INTO operator_updates (ticket_id, operator_id, order_id, sequence, kind, occurred_at, message, handler, level, next_attempt_at, delivered_at)
            SELECT t.id, 'op-1', 'O-' || t.id, s.n, 'progress', 1000 * s.n + t.id, 'm', 'h', 2, 1000 * s.n + t.id,
                CASE WHEN s.n <= 3 OR t.id % 2 = 0 THEN 100000 ELSE NULL END
            FROM tickets t CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) s
            """);
        if (engine == StoreKind.Postgres)
        {
            connection.Execute("ANALYZE operator_updates");
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(200000);
        var heads = UpdateOutbox.DueHeads(connection, "op-1", now, 64);
        Assert.Equal(64, heads.Count);
        Assert.All(heads, h => Assert.Equal(4, h.Sequence));
        Assert.Equal(heads.OrderBy(h => h.TicketId).Select(h => h.TicketId), heads.Select(h => h.TicketId));
        var overdue = UpdateOutbox.Overdue(connection, DateTimeOffset.FromUnixTimeMilliseconds(4000 + tickets + 1));
        // At most 100 a scan, the oldest: the heads of the lowest ids.
        Assert.Equal(100, overdue.Count);
        Assert.All(overdue, o => Assert.Equal(4, o.Sequence));
        Assert.Equal(overdue.OrderBy(o => o.QueuedAt).ThenBy(o => o.Id).Select(o => o.Id), overdue.Select(o => o.Id));

        var pass = Plan(connection, UpdateOutbox.DueHeadsSql, ("@op", "op-1"), ("@now", now.ToDb()), ("@limit", 64));
        Assert.Contains("ix_operator_updates_due", pass);
        var scan = Plan(connection, UpdateOutbox.OverdueSql, ("@cutoff", now.ToDb()));
        Assert.Contains("ix_operator_updates_unalerted", scan);
        foreach (var plan in new[] { pass, scan })
        {
            Assert.DoesNotContain(engine == StoreKind.Postgres ? "Seq Scan on operator_updates" : "SCAN operator_updates", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("operator_updates_pkey", plan, StringComparison.Ordinal);
        }

        // The pass stops after its limit: read in the index's order, each candidate's predecessors looked up by key.
        Assert.DoesNotContain(engine == StoreKind.Postgres ? "Sort" : "TEMP B-TREE", pass, StringComparison.Ordinal);
        Assert.Contains("ux_operator_updates_sequence", pass);
        // The scan reads the index up to the cutoff only (PostgreSQL may sort those few rows).
        Assert.Contains(engine == StoreKind.Postgres ? "Index Cond: (occurred_at < $1)" : "ix_operator_updates_unalerted (occurred_at<?)", scan);

        if (engine == StoreKind.Sqlite)
        {
            Assert.DoesNotContain("SCAN u", pass, StringComparison.Ordinal);
            Assert.DoesNotContain("SCAN p", pass, StringComparison.Ordinal);
        }
    }

    // PostgreSQL: the generic plan, the one the gateway's prepared statement keeps; SQLite: its only plan.
    private string Plan(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        string text;
        if (engine == StoreKind.Postgres)
        {
            var numbered = sql;
            for (var i = 0; i < parameters.Length; i++)
            {
                numbered = numbered.Replace(parameters[i].Name, "$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            connection.Execute("SET plan_cache_mode = force_generic_plan");
            connection.Execute("DEALLOCATE ALL");
            connection.Execute($"PREPARE q AS {numbered}");
            var values = string.Join(", ", parameters.Select(p => p.Value is string s ? $"'{s}'" : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)));
            text = $"EXPLAIN EXECUTE q({values})";
            parameters = [];
        }
        else
        {
            text = "EXPLAIN QUERY PLAN " + sql;
        }

        using var command = connection.Command(text, null, parameters);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "");
        }

        return string.Join(" | ", lines);
    }
}

public sealed class UpdateQueuePlanTestsOnSqlite() : UpdateQueuePlanTests(StoreKind.Sqlite);

public sealed class UpdateQueuePlanTestsOnPostgres() : UpdateQueuePlanTests(StoreKind.Postgres);
