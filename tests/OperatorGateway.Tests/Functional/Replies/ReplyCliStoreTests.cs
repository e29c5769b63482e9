using TicketGateway.OperatorGateway.Tests.Support;

namespace TicketGateway.OperatorGateway.Tests.Functional.Replies;

/// <summary>The reply side's CLI commands on a store, on the real executable.</summary>
public abstract class ReplyCliStoreTests(StoreKind engine)
{
    [Fact]
    public async Task TemplatesRender_TicketWithTemplateSyntaxInSubject_PrintsItLiterally()
    {
        using var desk = new Desk(engine);
        var env = ReplyStack.Environment(null);
        var created = await desk.RunAsync(env, "tickets", "create", "--channel", "email", "--kind", "complaint",
            "--customer-email", "c@customer.test", "--subject", "Bill {{ 7 * 7 }} wrong", "--text", "x", "--language", "en");
        Assert.Equal(0, created.ExitCode);

        var r = await desk.RunAsync(env, "templates", "render", "acknowledgement-complaint", "--ticket", "TG-000001");

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Subject: [TG-000001] We received your complaint: Bill {{ 7 * 7 }} wrong\n", r.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_TextAndResolve_QueuesResolutionThenSurveyVisibleInOutboxList()
    {
        using var desk = new Desk(engine);
        var env = ReplyStack.Environment(null);
        Assert.Equal(0, (await desk.RunAsync(env, "tickets", "create", "--channel", "email", "--kind", "fee",
            "--customer-email", "c@customer.test", "--subject", "多扣费", "--text", "x")).ExitCode);

        var r = await desk.RunAsync(env, "reply", "TG-000001", "--text", "已退费", "--resolve");
        var list = await desk.RunAsync(env, "outbox", "list", "--json");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("resolved, survey queued", r.Stdout, StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(list.Stdout);
        var rows = doc.RootElement.EnumerateArray().Reverse().ToList();
        Assert.Equal(["resolution", "survey"], rows.Select(e => e.GetProperty("purpose").GetString()));
        Assert.StartsWith("[TG-000001] 已处理完毕：多扣费", rows[0].GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.All(rows, e => Assert.Equal("queued", e.GetProperty("status").GetString()));
        Assert.All(rows, e => Assert.EndsWith("@desk.test", e.GetProperty("messageId").GetString(), StringComparison.Ordinal));
    }
}

public sealed class ReplyCliStoreTestsOnSqlite() : ReplyCliStoreTests(StoreKind.Sqlite);

public sealed class ReplyCliStoreTestsOnPostgres() : ReplyCliStoreTests(StoreKind.Postgres);
