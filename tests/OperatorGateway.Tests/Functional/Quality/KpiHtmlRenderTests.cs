using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TicketGateway.OperatorGateway.Kpis;
using TicketGateway.OperatorGateway.Tests.Support;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Kpis;
using TicketGateway.Tickets.Sla;

namespace TicketGateway.OperatorGateway.Tests.Functional.Quality;

/// <summary>
/// The HTML page of November 2026, computed on 1 December from a real store (the host's
/// <c>AddTickets()</c>, a fake clock) and rendered from the embedded template.
/// </summary>
public abstract class KpiHtmlRenderTests(StoreKind engine)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset InNovember = new(2026, 11, 5, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Render_EmptyMonth_SaysZeroDenominatorInsteadOfARate()
    {
        var html = await RenderNovember(_ => Task.CompletedTask);

        Assert.Contains("zero denominator: no calls recorded this month", html, StringComparison.Ordinal);
        Assert.Contains("zero denominator: no inquiries received this month", html, StringComparison.Ordinal);
        Assert.Contains("zero denominator: no complaints received this month", html, StringComparison.Ordinal);
        Assert.Contains("Every indicator with data met its target.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("0.00%", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_SubjectWithMarkup_IsEscaped()
    {
        var html = await RenderNovember(tickets => tickets.CreateAsync(
            new NewTicket(Channel.Email, TicketKind.Inquiry, new Customer(null, "a@example.com", null), "<script>alert(1)</script>", "x", AcceptedAt: InNovember), "test"));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// Nothing in the template escapes by hand: the customer (an address the intake accepts: no
    /// space, an @) and the subject of an unanswered inquiry reach the missed list encoded, quotes
    /// and ampersand included.
    /// </summary>
    [Fact]
    public async Task Render_CustomerAndSubjectWithScriptQuotesAndAmpersand_AreEncodedInTheTicketList()
    {
        Ticket? ticket = null;
        var html = await RenderNovember(async tickets => ticket = await tickets.CreateAsync(
            new NewTicket(Channel.Email, TicketKind.Inquiry, new Customer(null, "<script>alert('x')</script>&\"'@evil.test", null), "退订 <b>&\"'</b>", "x", AcceptedAt: InNovember), "test"));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains(
            $"<tr><td>{ticket!.Ref}</td><td>2026-11-05 09:00</td><td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;&#39;@evil.test</td><td>退订 &lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;</td><td>no reply</td></tr>",
            html,
            StringComparison.Ordinal);
    }

    private async Task<string> RenderNovember(Func<TicketService, Task> seed)
    {
        using var desk = new Desk(engine);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        var settings = ReplyStack.Settings(smtpPort: null, desk.Db);
        builder.Configuration.AddInMemoryCollection(settings!);
        builder.AddTickets();
        using var host = builder.Build();
        var tickets = host.Services.GetRequiredService<TicketService>();
        try
        {
            await seed(tickets);
            var month = KpiMonth.Of(2026, 11, host.Services.GetRequiredService<DeadlineCalculator>().Zone);
            return KpiHtml.Render(host.Services.GetRequiredService<KpiCalculator>().Compute(month), host.Services.GetRequiredService<KpiCalculator>().ComputeByAgent(month));
        }
        finally
        {
            await tickets.Database.DisposeAsync();
        }
    }
}

public sealed class KpiHtmlRenderTestsOnSqlite() : KpiHtmlRenderTests(StoreKind.Sqlite);

public sealed class KpiHtmlRenderTestsOnPostgres() : KpiHtmlRenderTests(StoreKind.Postgres);
