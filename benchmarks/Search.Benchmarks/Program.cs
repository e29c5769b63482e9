using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

// Fills a SQLite store with generated tickets and messages for the `ticketgw tickets search` benchmark
// (benchmarks/search.sh times the real CLI against it), then times the same searches in-process.
// Usage: DB_PATH [MESSAGES=1000000] [QUERY ...]
// Four messages a ticket on average; texts are customer-service Chinese with some English, amounts,
// dates and order numbers, so the trigram index sees realistic variety. The rows are written with the
// search triggers set aside, then indexed in one pass exactly as schema step 511 indexes an existing
// store, and the triggers are put back from their recorded SQL: the store ends as a served one would.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Search.Benchmarks DB_PATH [MESSAGES=1000000] [QUERY ...]");
    return 2;
}

var path = Path.GetFullPath(args[0]);
var messageCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var queries = args.Length > 2 ? args[2..] : ["彩铃", "发票", "退订彩铃", "仍然收到", "refund", "+86 138 0013 8000", "VIP 彩铃"];
var options = new StorageOptions { ConnectionString = $"Data Source={path}" };

if (!File.Exists(path))
{
    var watch = Stopwatch.StartNew();
    await using (var database = new TicketDatabase(options, NullLogger<TicketDatabase>.Instance))
    {
        using var connection = database.Open();
        Generate(connection, messageCount);
        Console.WriteLine($"generated {messageCount} messages in {watch.Elapsed.TotalSeconds:F0} s; {new FileInfo(path).Length / 1_000_000} MB");
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

static void Generate(System.Data.Common.DbConnection connection, int messageCount)
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

    var random = new Random(42);
    var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
    var span = 365L * 24 * 3_600_000;
    var ticketCount = messageCount / 4;
    var phones = Enumerable.Range(0, 100_000).Select(_ => "1" + random.Next(30, 100).ToString(CultureInfo.InvariantCulture) + random.Next(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture)).ToArray();
    phones[0] = "13800138000";
    string[] phoneForms = ["{0}", "+86{0}", "0086{0}"];

    using var tx = connection.BeginTransaction();
    using var ticket = connection.Command(
        """
        INSERT INTO tickets (id, channel, kind, level, status, customer_name, customer_email, customer_phone, subject, language,
            accepted_at, reply_due_at, satisfaction, updated_at)
        VALUES (@id, @channel, @kind, @level, 'open', @name, @email, @phone, @subject, 'zh-CN', @at, @due, 'none', @at)
        """, tx, ("@id", 0L), ("@channel", ""), ("@kind", ""), ("@level", null), ("@name", null), ("@email", null), ("@phone", null), ("@subject", ""), ("@at", 0L), ("@due", 0L));
    using var message = connection.Command(
        "INSERT INTO messages (ticket_id, direction, at, from_addr, subject, body_text) VALUES (@t, @d, @at, @from, @subject, @text)",
        tx, ("@t", 0L), ("@d", ""), ("@at", 0L), ("@from", null), ("@subject", null), ("@text", ""));
    ticket.Prepare();
    message.Prepare();
    var written = 0;
    for (var id = 1L; id <= ticketCount; id++)
    {
        var at = start + (span * (id - 1) / ticketCount);
        var email = random.Next(2) == 0;
        var phone = phones[random.Next(phones.Length)];
        var subject = Texts.Subject(random);
        var p = ticket.Parameters;
        p["@id"].Value = id;
        p["@channel"].Value = email ? "email" : "phone";
        p["@kind"].Value = random.Next(4) == 0 ? "complaint" : "inquiry";
        p["@level"].Value = DBNull.Value;
        p["@name"].Value = random.Next(3) == 0 ? DBNull.Value : Texts.Name(random);
        p["@email"].Value = email ? $"user{random.Next(200_000)}@{Texts.Domains[random.Next(Texts.Domains.Length)]}" : DBNull.Value;
        p["@phone"].Value = email && random.Next(2) == 0 ? DBNull.Value : string.Format(CultureInfo.InvariantCulture, phoneForms[random.Next(phoneForms.Length)], phone);
        p["@subject"].Value = subject;
        p["@at"].Value = at;
        p["@due"].Value = at + 7_200_000;
        ticket.ExecuteNonQuery();

        // 1 to 7 messages, 4 on average; the last ticket takes what is left.
        var messages = id == ticketCount ? messageCount - written : Math.Min(messageCount - written, random.Next(1, 8));
        for (var m = 0; m < messages; m++)
        {
            var q = message.Parameters;
            q["@t"].Value = id;
            q["@d"].Value = m % 2 == 0 ? "inbound" : "outbound";
            q["@at"].Value = at + (m * 3_600_000L);
            q["@from"].Value = DBNull.Value;
            q["@subject"].Value = subject;
            q["@text"].Value = m % 2 == 0 ? Texts.Customer(random) : Texts.Agent(random);
            message.ExecuteNonQuery();
        }

        written += messages;
    }

    tx.Commit();
    var index = Stopwatch.StartNew();
    using (var indexing = connection.BeginTransaction())
    {
        // The statements step 511 ends with, that index an existing store (both indexes).
        var step = SearchStep();
        var fill = step[step.LastIndexOf("INSERT INTO ticket_search_head", StringComparison.Ordinal)..];
        connection.Execute(fill, indexing);
        foreach (var sql in triggers)
        {
            connection.Execute(sql, indexing);
        }

        indexing.Commit();
    }

    Console.WriteLine($"{ticketCount} tickets, {written} messages; indexed in {index.Elapsed.TotalSeconds:F0} s");
    connection.Execute("PRAGMA optimize");
}

static string SearchStep()
{
    var module = typeof(SchemaStep).Assembly.GetType("TicketGateway.Tickets.Storage.Schema")!.GetProperty("Module")!.GetValue(null) as SchemaModule;
    return module!.Steps.Single(s => s.Version == 511).Sql;
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
