using TicketGateway.Tickets.Kpis;
using TicketGateway.TestSupport;

namespace TicketGateway.Tickets.Tests.Functional.Quality;

public abstract class CallImportTests(StoreKind engine)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    [Fact]
    public async Task ImportAsync_AsteriskFileTwice_SameAnswerRate()
    {
        await using var store = new QualityStore(Now, engine);
        var month = KpiMonth.TryParse("2026-11", QualityStore.Zone)!;

        var first = await store.Calls.ImportAsync(Data("Master.csv"), strict: false, null, CancellationToken.None);
        var rate = store.Kpis.Compute(month)["hotline_answer_rate"];
        var second = await store.Calls.ImportAsync(Data("Master.csv"), strict: false, null, CancellationToken.None);
        var again = store.Kpis.Compute(month)["hotline_answer_rate"];

        Assert.Equal((4L, 0L), (first.Imported, first.Duplicates));
        Assert.Equal((0L, 4L), (second.Imported, second.Duplicates));
        // Answered within 60 s: 09:15:42 (42 s) and 14:00:05 (5 s); 10:01:30 waited 90 s; one NO ANSWER.
        Assert.Equal((2L, 4L), (rate.Numerator, rate.Denominator));
        Assert.Equal((rate.Numerator, rate.Denominator), (again.Numerator, again.Denominator));
    }

    [Fact]
    public async Task ImportAsync_BadRow_ReportedByLineAndRestImported()
    {
        await using var store = new QualityStore(Now, engine);
        var result = await store.Calls.ImportAsync(Data("Master-bad-row.csv"), strict: false, null, CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("'2026-11-03 25:00:00'", error.Reason, StringComparison.Ordinal);
        Assert.Equal(2, result.Imported);
        Assert.Equal(2, store.Calls.List(KpiMonth.TryParse("2026-11", QualityStore.Zone)!).Count);
    }

    [Fact]
    public async Task ImportAsync_StrictWithBadRow_ImportsNothing()
    {
        await using var store = new QualityStore(Now, engine);
        var result = await store.Calls.ImportAsync(Data("Master-bad-row.csv"), strict: true, null, CancellationToken.None);

        Assert.False(result.Committed);
        Assert.Equal(2, Assert.Single(result.Errors).Line);
        Assert.Empty(store.Calls.List(KpiMonth.TryParse("2026-11", QualityStore.Zone)!));
    }
}

public sealed class CallImportTestsOnSqlite() : CallImportTests(StoreKind.Sqlite);

public sealed class CallImportTestsOnPostgres() : CallImportTests(StoreKind.Postgres);
