using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

// Fills a store with generated tickets and messages for the `ticketgw tickets search` benchmark
// (benchmarks/search.sh times the real CLI against it), then times the same searches in-process.
// Usage: sqlite DB_PATH [MESSAGES=1000000] [QUERY ...]
//        postgres CONNECTION_STRING [MESSAGES=1000000] [QUERY ...]   (an empty database: the store is made in it)
// Four messages a ticket on average; texts are customer-service Chinese with some English, amounts,
// dates and order numbers, so the trigram index sees realistic variety. The rows are written with the
// search index set aside (SQLite: its triggers; PostgreSQL: its GIN indexes), then indexed in one pass
// by the statements schema step 511 runs on an existing store: the store ends as a served one would.
// Also: sql sqlite|postgres DB_PATH|CONNECTION_STRING STATEMENT prints the statement's first column, row
// by row (benchmarks/web.sh shapes its store with it; Debian's sqlite3 is too old for the FTS5 options in use).
if (args is ["sql", var engine, var store, var statement])
{
    var sqlOptions = engine == "postgres"
        ? new StorageOptions { Provider = "PostgreSQL", ConnectionString = store }
        : new StorageOptions { ConnectionString = $"Data Source={Path.GetFullPath(store)}" };
    await using var sqlDatabase = new TicketDatabase(sqlOptions, NullLogger<TicketDatabase>.Instance);
    using var sqlConnection = sqlDatabase.Open();
    using var sqlCommand = sqlConnection.Command(statement);
    using var sqlReader = sqlCommand.ExecuteReader();
    while (sqlReader.Read())
    {
        Console.WriteLine(Convert.ToString(sqlReader.GetValue(0), CultureInfo.InvariantCulture));
    }

    return 0;
}

if (args.Length < 2 || args[0] is not ("sqlite" or "postgres"))
{
    Console.Error.WriteLine("usage: Search.Benchmarks sqlite DB_PATH | postgres CONNECTION_STRING [MESSAGES=1000000] [QUERY ...]");
    return 2;
}

var postgres = args[0] == "postgres";
var messageCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
var queries = args.Length > 3 ? args[3..] : ["彩铃", "发票", "退订彩铃", "仍然收到", "refund", "+86 138 0013 8000", "VIP 彩铃", "铃", "A"];
var options = postgres
    ? new StorageOptions { Provider = "PostgreSQL", ConnectionString = args[1] }
    : new StorageOptions { ConnectionString = $"Data Source={Path.GetFullPath(args[1])}" };

await using (var database = new TicketDatabase(options, NullLogger<TicketDatabase>.Instance))
{
    using var connection = database.Open();
    if (connection.Scalar("SELECT count(*) FROM tickets") is 0L)
    {
        var watch = Stopwatch.StartNew();
        if (postgres)
        {
            Generator.FillPostgres((NpgsqlConnection)connection, messageCount);
        }
        else
        {
            Generator.FillSqlite(connection, messageCount);
        }

        Console.WriteLine($"generated {messageCount} messages in {watch.Elapsed.TotalSeconds:F0} s");
    }
}

await using (var database = new TicketDatabase(options, NullLogger<TicketDatabase>.Instance))
{
    var search = new TicketSearch(database);
    foreach (var query in queries)
    {
        search.Search(query); // warm the page cache and the JIT
        var times = new List<double>();
        var found = 0;
        for (var i = 0; i < 7; i++)
        {
            var watch = Stopwatch.StartNew();
            found = search.Search(query).Count;
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in-process search '{query}': median {times[3]:F1} ms, max {times[^1]:F1} ms, {found} shown"));
    }
}

return 0;

internal static class Generator
{
    private const string TicketColumns = "id, channel, kind, level, status, customer_name, customer_email, customer_phone, subject, language, accepted_at, reply_due_at, satisfaction, updated_at";
    private const string MessageColumns = "ticket_id, direction, at, from_addr, subject, body_text";

    /// <summary>SQLite: rows through prepared inserts with the search triggers dropped, then step 511's indexing statements and the triggers again.</summary>
    public static void FillSqlite(System.Data.Common.DbConnection connection, int messageCount)
    {
        connection.Execute("PRAGMA synchronous = OFF");
        connection.Execute("PRAGMA foreign_keys = OFF");
        var triggers = new List<string>();
        using (var command = connection.Command("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ticket\\_search\\_%' ESCAPE '\\' ORDER BY name"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                triggers.Add(reader.GetString(1));
                connection.Execute($"DROP TRIGGER {reader.GetString(0)}");
            }
        }

        using (var tx = connection.BeginTransaction())
        {
            using var ticket = connection.Command($"INSERT INTO tickets ({TicketColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13)", tx, [.. Enumerable.Range(0, 14).Select(i => ($"@p{i}", (object?)null))]);
            using var message = connection.Command($"INSERT INTO messages ({MessageColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)", tx, [.. Enumerable.Range(0, 6).Select(i => ($"@p{i}", (object?)null))]);
            ticket.Prepare();
            message.Prepare();
            Rows(messageCount, row => Insert(ticket, row), row => Insert(message, row));
            tx.Commit();
        }

        var index = Stopwatch.StartNew();
        using (var indexing = connection.BeginTransaction())
        {
            // The statements step 511 ends with, that index an existing store (both indexes).
            var step = SearchStep().Sql;
            var fill = step[step.LastIndexOf("INSERT INTO ticket_search_head", StringComparison.Ordinal)..];
            connection.Execute(fill, indexing);
            foreach (var sql in triggers)
            {
                connection.Execute(sql, indexing);
            }

            indexing.Commit();
        }

        Console.WriteLine($"indexed in {index.Elapsed.TotalSeconds:F0} s; {new FileInfo(((Microsoft.Data.Sqlite.SqliteConnection)connection).DataSource).Length / 1_000_000} MB");
        connection.Execute("PRAGMA optimize");
    }

    /// <summary>PostgreSQL: COPY with the tables' search indexes dropped, then the same indexes built again from their recorded definitions.</summary>
    public static void FillPostgres(NpgsqlConnection connection, int messageCount)
    {
        var indexes = new List<string>();
        using (var command = connection.Command("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('tickets', 'messages') AND indexdef LIKE '%USING gin%' ORDER BY indexname"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                indexes.Add(reader.GetString(1));
            }
        }

        foreach (var definition in indexes)
        {
            connection.Execute("DROP INDEX " + definition.Split(' ')[2]);
        }

        // Two COPYs cannot run on one connection at once: the messages wait in a file and follow the tickets.
        var spool = Path.GetTempFileName();
        try
        {
            using (var tickets = connection.BeginTextImport($"COPY tickets ({TicketColumns}) FROM STDIN"))
            using (var messages = new StreamWriter(spool, false, new UTF8Encoding(false)))
            {
                Rows(messageCount, row => tickets.Write(CopyLine(row)), row => messages.Write(CopyLine(row)));
            }

            using (var messages = connection.BeginTextImport($"COPY messages ({MessageColumns}) FROM STDIN"))
            using (var lines = new StreamReader(spool, Encoding.UTF8))
            {
                var buffer = new char[1 << 16];
                int read;
                while ((read = lines.Read(buffer, 0, buffer.Length)) > 0)
                {
                    messages.Write(buffer, 0, read);
                }
            }
        }
        finally
        {
            File.Delete(spool);
        }

        connection.Execute("SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT max(id) FROM tickets))");
        var index = Stopwatch.StartNew();
        connection.Execute("SET maintenance_work_mem = '512MB'");
        foreach (var definition in indexes)
        {
            // A GIN index over a million messages takes longer than the store's command timeout on a slow machine.
            using var create = connection.CreateCommand();
            create.CommandText = definition;
            create.CommandTimeout = 0;
            create.ExecuteNonQuery();
        }

        connection.Execute("ANALYZE tickets");
        connection.Execute("ANALYZE messages");
        Console.WriteLine($"indexed ({indexes.Count} GIN indexes) in {index.Elapsed.TotalSeconds:F0} s; {connection.Scalar("SELECT pg_size_pretty(pg_database_size(current_database()))")}");
    }

    private static void Insert(System.Data.Common.DbCommand command, object?[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            command.Parameters[i].Value = row[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    // COPY's text format: tab-separated, \N for NULL, backslash escapes.
    private static string CopyLine(object?[] row) => string.Join('\t', row.Select(v => v switch
    {
        null => "\\N",
        string text => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
    })) + "\n";

    /// <summary>The tickets and messages, in the tables' column order (<see cref="TicketColumns"/>, <see cref="MessageColumns"/>).</summary>
    private static void Rows(int messageCount, Action<object?[]> ticket, Action<object?[]> message)
    {
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        var span = 365L * 24 * 3_600_000;
        var ticketCount = messageCount / 4;
        var phones = Enumerable.Range(0, 100_000).Select(_ => "1" + random.Next(30, 100).ToString(CultureInfo.InvariantCulture) + random.Next(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture)).ToArray();
        phones[0] = "13800138000";
        string[] phoneForms = ["{0}", "+86{0}", "0086{0}"];
        var written = 0;
        for (var id = 1L; id <= ticketCount; id++)
        {
            var at = start + (span * (id - 1) / ticketCount);
            var email = random.Next(2) == 0;
            var phone = phones[random.Next(phones.Length)];
            var subject = Texts.Subject(random);
            var kind = random.Next(4) == 0 ? "complaint" : "inquiry";
            var name = random.Next(3) == 0 ? null : Texts.Name(random);
            var address = email ? $"user{random.Next(200_000)}@{Texts.Domains[random.Next(Texts.Domains.Length)]}" : null;
            var number = email && random.Next(2) == 0 ? null : string.Format(CultureInfo.InvariantCulture, phoneForms[random.Next(phoneForms.Length)], phone);
            ticket([id, email ? "email" : "phone", kind, null, "open", name, address, number, subject, "zh-CN", at, at + 7_200_000, "none", at]);

            // 1 to 7 messages, 4 on average; the last ticket takes what is left.
            var messages = id == ticketCount ? messageCount - written : Math.Min(messageCount - written, random.Next(1, 8));
            for (var m = 0; m < messages; m++)
            {
                message([id, m % 2 == 0 ? "inbound" : "outbound", at + (m * 3_600_000L), null, subject, m % 2 == 0 ? Texts.Customer(random) : Texts.Agent(random)]);
            }

            written += messages;
        }

        Console.WriteLine($"{ticketCount} tickets, {written} messages");
    }

    private static SchemaStep SearchStep()
    {
        var module = typeof(SchemaStep).Assembly.GetType("TicketGateway.Tickets.Storage.Schema")!.GetProperty("Module")!.GetValue(null) as SchemaModule;
        return module!.Steps.Single(s => s.Version == 511);
    }
}

internal static class Texts
{
    public static readonly string[] Domains = ["qq.com", "163.com", "126.com", "sina.com", "gmail.com", "example.cn"];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"];

    private static readonly string[] Subjects =
    [
        "彩铃扣费问题", "退订短信业务", "流量包无法使用", "话费查询", "会员自动续费", "宽带频繁掉线", "积分兑换失败", "套餐变更咨询",
        "验证码收不到", "游戏点卡充值未到账", "音乐包退订", "视频会员投诉", "VIP会员权益", "APP登录失败", "Refund request", "账单有误",
    ];

    private static readonly string[] Openings = ["您好，", "客服你好，", "你好！", "Hi, ", "请问", "我想咨询一下，", "投诉：", "紧急！"];

    private static readonly string[] Problems =
    [
        "我上个月被扣了{0}元彩铃费，但我从来没有订购过", "退订彩铃业务后仍然收到短信", "手机流量包显示已开通但是无法使用", "本月话费比平时多了{0}元",
        "会员到期后被自动续费{0}元", "家里宽带每天晚上都掉线", "积分兑换的礼品一直没有收到", "想把套餐改成每月{0}元的",
        "注册时验证码一直收不到", "游戏点卡充值{0}元没有到账，订单号{1}", "音乐包已经退订了还在扣费", "视频会员无法观看高清内容",
        "VIP会员的彩铃不能设置", "APP一直提示登录失败", "I was charged {0} yuan without ordering anything, please refund", "账单上有一笔{0}元的不明扣费",
        "订单{1}显示已付款但没有开通", "短信提示我订购了新闻早晚报", "孩子玩游戏误订了包月服务", "换了新手机以后彩铃没有了",
    ];

    private static readonly string[] Rare = ["需要开具发票", "请提供发票", "要求赔偿损失", "已向工信部反映"];

    private static readonly string[] Closings = ["，请尽快处理。", "，谢谢！", "。麻烦帮忙看一下", "，希望给个说法", ". Please help, thanks.", "，急等回复", "。"];

    private static readonly string[] Answers =
    [
        "您好，已为您退订该业务，费用{0}元将在3个工作日内退回。", "您好，经核查您的账户于{2}订购了该服务，已为您取消。",
        "感谢您的耐心等待，问题已经提交技术部门处理，订单号{1}。", "Dear customer, your refund of {0} yuan has been processed.",
        "您好，请重启手机后再试，如仍有问题请回复本邮件。", "已为您补发验证码，请注意查收短信。", "您的彩铃已恢复，请拨打测试。",
    ];

    public static string Name(Random r) => Surnames[r.Next(Surnames.Length)] + Given[r.Next(Given.Length)] + (r.Next(2) == 0 ? Given[r.Next(Given.Length)] : "");

    public static string Subject(Random r) => Subjects[r.Next(Subjects.Length)];

    public static string Customer(Random r)
    {
        var text = new StringBuilder(Openings[r.Next(Openings.Length)]);
        for (var i = r.Next(1, 4); i > 0; i--)
        {
            text.Append(Fill(Problems[r.Next(Problems.Length)], r)).Append(Closings[r.Next(Closings.Length)]);
        }

        if (r.Next(100) == 0)
        {
            text.Append(Rare[r.Next(Rare.Length)]).Append('。');
        }

        return text.ToString();
    }

    public static string Agent(Random r) => Fill(Answers[r.Next(Answers.Length)], r) + "如有疑问请拨打客服热线4000-123-456。";

    private static string Fill(string template, Random r) => string.Format(
        CultureInfo.InvariantCulture,
        template,
        r.Next(1, 300),
        "DD" + r.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
        $"2026年{r.Next(1, 13)}月{r.Next(1, 29)}日");
}
