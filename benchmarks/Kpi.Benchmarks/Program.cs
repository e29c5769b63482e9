using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using TicketGateway.Tickets.Storage;

// Fills a SQLite store with generated tickets and calls for the `ticketgw kpi` benchmark
// (benchmarks/kpi.sh times the real CLI against it). Usage: DB_PATH [TICKETS] [MONTHS]
// Tickets are spread evenly over MONTHS months from January 2026 (Asia/Shanghai); every kind,
// channel and level appears, with replies, resolutions, satisfaction and repeats mixed in.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Kpi.Benchmarks DB_PATH [TICKETS=1000000] [MONTHS=12]");
    return 2;
}

var path = Path.GetFullPath(args[0]);
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var months = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 12;
File.Delete(path);
var watch = Stopwatch.StartNew();
var database = new TicketDatabase(new StorageOptions { ConnectionString = $"Data Source={path}" }, NullLogger<TicketDatabase>.Instance);
await using (database)
{
    using var connection = database.Open();
    connection.Execute("PRAGMA synchronous = OFF");
    var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
    var end = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddMonths(months).ToUnixTimeMilliseconds();
    var span = end - start;
    var random = new Random(42);
    string[] kinds = ["inquiry", "fee", "report", "complaint"];
    string[] channels = ["email", "phone", "operator"];
    const long Hour = 3_600_000;

    using (var tx = connection.BeginTransaction())
    using (var insert = connection.Command(
        """
        INSERT INTO tickets (channel, kind, level, status, customer_email, customer_phone, subject, language, accepted_at,
            first_reply_at, resolved_at, reply_due_at, resolve_due_at, satisfaction, repeat_of, updated_at)
        VALUES (@channel, @kind, @level, @status, @email, @phone, @subject, 'zh-CN', @accepted, @first, @resolved, @replyDue, @resolveDue, @satisfaction, @repeatOf, @accepted)
        """, tx,
        ("@channel", ""), ("@kind", ""), ("@level", null), ("@status", ""), ("@email", null), ("@phone", null), ("@subject", ""), ("@accepted", 0L),
        ("@first", null), ("@resolved", null), ("@replyDue", 0L), ("@resolveDue", null), ("@satisfaction", ""), ("@repeatOf", null)))
    {
        insert.Prepare();
        var p = insert.Parameters;
        for (var i = 1; i <= count; i++)
        {
            var accepted = start + (span * (i - 1) / count);
            var kind = kinds[random.Next(kinds.Length)];
            var channel = kind == "complaint" ? channels[random.Next(3)] : channels[random.Next(2)];
            var complaint = kind == "complaint";
            int? level = complaint ? random.Next(1, 5) : null;
            long? resolveDue = complaint ? accepted + (level switch { 1 => 2 * Hour, 2 => 48 * Hour, 3 => 96 * Hour, _ => 168 * Hour }) : null;
            long? first = random.Next(100) < 97 ? accepted + (random.Next(150) * 60_000L) : null;
            long? resolved = random.Next(100) < 90 ? accepted + (long)(random.NextDouble() * 1.2 * (resolveDue - accepted ?? 4 * Hour)) : null;
            p["@channel"].Value = channel;
            p["@kind"].Value = kind;
            p["@level"].Value = (object?)level ?? DBNull.Value;
            p["@status"].Value = resolved is null ? "open" : "resolved";
            p["@email"].Value = channel == "email" ? $"user{i % 50_000}@example.com" : DBNull.Value;
            p["@phone"].Value = channel == "email" ? DBNull.Value : $"138{i % 100_000:D8}";
            p["@subject"].Value = "生成的工单 " + (i % 1000).ToString(CultureInfo.InvariantCulture);
            p["@accepted"].Value = accepted;
            p["@first"].Value = (object?)first ?? DBNull.Value;
            p["@resolved"].Value = (object?)resolved ?? DBNull.Value;
            p["@replyDue"].Value = accepted + (2 * Hour);
            p["@resolveDue"].Value = (object?)resolveDue ?? DBNull.Value;
            p["@satisfaction"].Value = random.Next(100) switch { < 80 => "satisfied", < 85 => "unsatisfied", _ => "none" };
            p["@repeatOf"].Value = complaint && i > 1 && random.Next(100) == 0 ? i - 1 : DBNull.Value;
            insert.ExecuteNonQuery();
        }

        tx.Commit();
    }

    // One hotline call for every ten tickets, a few answered after more than 60 s.
    using (var tx = connection.BeginTransaction())
    using (var insert = connection.Command(
        """
        INSERT INTO calls (call_key, started_at, answered_at, ended_at, caller, disposition, answered, source, imported_at)
        VALUES (@key, @start, @answer, @end, '13800138000', @disposition, @answered, 'generated', @start)
        """, tx, ("@key", ""), ("@start", 0L), ("@answer", null), ("@end", 0L), ("@disposition", ""), ("@answered", 0)))
    {
        insert.Prepare();
        var p = insert.Parameters;
        for (var i = 0; i < count / 10; i++)
        {
            var started = start + (span * i / (count / 10));
            var wait = random.Next(90) * 1000L;
            var answered = random.Next(100) < 92;
            p["@key"].Value = "gen:" + i.ToString(CultureInfo.InvariantCulture);
            p["@start"].Value = started;
            p["@answer"].Value = answered ? started + wait : DBNull.Value;
            p["@end"].Value = started + 300_000;
            p["@disposition"].Value = answered ? "ANSWERED" : "NO ANSWER";
            p["@answered"].Value = answered && wait <= 60_000 ? 1 : 0;
            insert.ExecuteNonQuery();
        }

        tx.Commit();
    }

    // Who did the work, for `kpi --by-agent`: 20 agents own the tickets, write the replies (the first one
    // counting as the first reply: a phone answer, or a mail accepted by SMTP at first_reply_at) and record
    // the resolutions, as the real services record them (messages.actor, outbox rows, history lines).
    using (var tx = connection.BeginTransaction())
    {
        connection.Execute("INSERT INTO agents (login, name, email, email_key, role, source, created_at, updated_at) SELECT 'agent' || id, 'Agent ' || id, 'agent' || id || '@desk.test', 'agent' || id || '@desk.test', 'agent', 'generated', 0, 0 FROM (SELECT id FROM tickets LIMIT 20) AS a", tx);
        connection.Execute("UPDATE tickets SET owner = 'agent' || (1 + id % 20)", tx);
        connection.Execute(
            """
            INSERT INTO messages (ticket_id, direction, at, from_addr, to_addr, subject, body_text, message_id, automatic, actor)
            SELECT id, 'outbound', first_reply_at, 'support@desk.test', 'customer', subject, 'reply',
                CASE WHEN channel = 'email' THEN 'gen-' || id || '@desk.test' END, 0, 'agent' || (1 + (id * 7) % 20)
            FROM tickets WHERE first_reply_at IS NOT NULL
            """, tx);
        connection.Execute(
            """
            INSERT INTO outbox (ticket_id, purpose, status, message_id, sender, recipients, subject, mime, counts_as_reply, created_at, next_attempt_at, sent_at)
            SELECT id, 'agent-reply', 'sent', 'gen-' || id || '@desk.test', 'support@desk.test', 'customer', subject, X'00', 1, first_reply_at, first_reply_at, first_reply_at
            FROM tickets WHERE first_reply_at IS NOT NULL AND channel = 'email'
            """, tx);
        connection.Execute(
            """
            INSERT INTO history (ticket_id, at, actor, action, detail)
            SELECT id, first_reply_at, CASE WHEN channel = 'email' THEN 'smtp' ELSE 'agent' || (1 + (id * 7) % 20) END, 'first-reply', 'first reply reached the customer'
            FROM tickets WHERE first_reply_at IS NOT NULL
            """, tx);
        connection.Execute(
            """
            INSERT INTO history (ticket_id, at, actor, action, detail)
            SELECT id, resolved_at, 'agent' || (1 + (id * 3) % 20), 'resolved', 'status open -> resolved: generated'
            FROM tickets WHERE resolved_at IS NOT NULL
            """, tx);
        tx.Commit();
    }

    connection.Execute("ANALYZE");
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} tickets and {count / 10} calls over {months} month(s) written to {path} in {watch.Elapsed.TotalSeconds:0.0} s"));
return 0;
