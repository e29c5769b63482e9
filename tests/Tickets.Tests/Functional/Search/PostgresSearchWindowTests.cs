using TicketGateway.TestSupport;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Search;

/// <summary>
/// PostgreSQL's search reads the newest tickets first and the older ones only when those did not fill the
/// answer (SQLite has no such passes: TicketSearchTests cover both engines). With a window of three tickets,
/// terms found only in older tickets, short terms there (the pieces' index) and terms split across both
/// passes give what one pass over everything gives.
/// </summary>
public sealed class PostgresSearchWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Top_TermsInOlderTicketsThanTheWindow_SameAnswerAsOnePassOverEveryTicket()
    {
        await using var store = new TempStore(Now, StoreKind.Postgres);
        var made = new List<long>();
        foreach (var (subject, text) in new[]
        {
            ("发票问题", "需要发票"), ("咨询", "请开发票，谢谢"), ("彩铃", "彩铃扣费"), ("会员", "VIP会员的彩铃不能设置"),
            ("彩铃扣费", "彩铃每月扣钱"), ("彩铃扣费", "又扣了"), ("彩铃扣费", "VIP 彩铃"), ("彩铃扣费", "第三次"),
        })
        {
            made.Add((await store.Service.CreateAsync(new NewTicket(Channel.Email, TicketKind.Inquiry, new Customer(null, "a@example.com", null), subject, text), "test")).Id);
        }

        var small = new PostgresSearchIndex(window: 3);
        var whole = new PostgresSearchIndex(window: 1000);
        using var connection = store.Service.Database.Open();
        List<(long, int)> Top(PostgresSearchIndex index, string query, int limit = 20) => [.. index.Top(connection, TicketSearch.Terms(query), limit)];
        long T(int n) => made[n - 1];

        // A two-character term and one character of it: the subject's ticket first, the other only older than the window.
        Assert.Equal([(T(1), 1), (T(2), 0)], Top(small, "发票"));
        Assert.Equal([(T(1), 1), (T(2), 0)], Top(small, "票"));
        // Two terms, together in the text of one ticket in the window and of one before it.
        Assert.Equal([(T(7), 0), (T(4), 0)], Top(small, "VIP 彩铃"));
        // Four tickets rank first; the fifth has the term only in its text, older than the window.
        Assert.Equal([(T(8), 1), (T(7), 1), (T(6), 1), (T(5), 1), (T(3), 0)], Top(small, "扣费"));
        // A term in most subjects: the newest of them, and nothing more is read.
        Assert.Equal([(T(8), 1), (T(7), 1)], Top(small, "彩铃", limit: 2));
        foreach (var query in new[] { "发票", "票", "VIP 彩铃", "扣费", "彩铃", "会员", "a@example", "不存在" })
        {
            Assert.Equal(Top(whole, query), Top(small, query));
        }
    }
}
