using Microsoft.Extensions.Logging.Abstractions;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Tests.Functional.Storage;

/// <summary>
/// The schema steps of every module on a fresh store of each engine: the order they are applied in does not
/// change the result, and a step applied from other SQL stops start-up and the CLI with one line.
/// </summary>
public abstract class StoreSchemaTests(StoreKind engine) : IDisposable
{
    private readonly TempDir _dir = new();
    private TestDatabase? _freshStore;

    /// <summary>A store every module's steps are applied to in the usual order, created on first use.</summary>
    private TestDatabase Fresh => _freshStore ??= TestDatabase.Create(engine, Path.Combine(_dir.Path, "fresh"));

    public void Dispose()
    {
        TestDatabase.ClearPools();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Open_TicketsAloneFirstThenEveryModule_EndsWithTheSameSchemaAsAFreshStore()
    {
        // A tool that registers only AddTickets() (StoreWriter, the KPI benchmark) creates the store;
        // the gateway opens it later and applies the modules' steps then.
        var early = TestDatabase.Create(engine, Path.Combine(_dir.Path, "early"));
        await new TicketDatabase(early.Options, NullLogger<TicketDatabase>.Instance).DisposeAsync();
        Assert.Equal([1L, 200, 400, 401, 402, 404, 501, 511, 521, 531, 541, 551, 561, 591, 631, 641, 651, 671], SchemaSnapshot.Checksums(early).Select(c => c.Version));

        await ServedStore.Open(early).DisposeAsync();
        await ServedStore.Open(Fresh).DisposeAsync();

        Assert.Equal(SchemaSnapshot.Objects(Fresh), SchemaSnapshot.Objects(early));
        Assert.Equal(SchemaSnapshot.Checksums(Fresh), SchemaSnapshot.Checksums(early));
    }

    [Fact]
    public async Task Open_StepAppliedFromOtherSql_ThrowsStoreExceptionNamingTheStep()
    {
        await ServedStore.Open(Fresh).DisposeAsync();
        SchemaSnapshot.Execute(Fresh, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 300");

        var ex = Assert.Throws<StoreException>(() => ServedStore.Open(Fresh));

        Assert.Contains("schema step 300 \"operator complaints, attachments, update outbox, alerts\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(SchemaSnapshot.Name(Fresh), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task Cli_StoreWithoutTheModulesSteps_CommandAppliesThemBeforeAnswering()
    {
        // A store some steps of this release have not reached (an older release's, or one a tool made with
        // Tickets alone): a read-only command does not take the quick path of an up-to-date store.
        var early = TestDatabase.Create(engine, Path.Combine(_dir.Path, "early"));
        await new TicketDatabase(early.Options, NullLogger<TicketDatabase>.Instance).DisposeAsync();
        await ServedStore.Open(Fresh).DisposeAsync();

        var result = await GatewayProcess.RunCliBareAsync(_dir.Path, early.Environment, "tickets", "search", "彩铃");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        Assert.Equal(SchemaSnapshot.Objects(Fresh), SchemaSnapshot.Objects(early));
        Assert.Equal(SchemaSnapshot.Checksums(Fresh), SchemaSnapshot.Checksums(early));
    }

    [Fact]
    public async Task Cli_StoreWithAnEditedStep_ExitsTwoWithOneLineNamingTheStep()
    {
        await ServedStore.Open(Fresh).DisposeAsync();
        SchemaSnapshot.Execute(Fresh, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 101");

        var result = await GatewayProcess.RunCliBareAsync(_dir.Path, Fresh.Environment, "tickets", "list");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("schema step 101 \"mail intake: when each mail reached the mailbox\"", line, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }
}

public sealed class StoreSchemaTestsOnSqlite() : StoreSchemaTests(StoreKind.Sqlite);

public sealed class StoreSchemaTestsOnPostgres() : StoreSchemaTests(StoreKind.Postgres);
