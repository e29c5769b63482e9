using System.Reflection;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("TicketGateway.OperatorGateway.Tests.Support.LongestFirst", "TicketGateway.OperatorGateway.Tests")]

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>
/// A test class that takes about a minute or more of wall time in the whole run (a real <c>ticketgw serve</c>
/// with many CLI commands, a browser, or waits on a real clock).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
internal sealed class RunsLongAttribute : Attribute;

/// <summary>
/// Starts the classes marked <see cref="RunsLongAttribute"/> first, the others after them in the order xunit
/// found them: a long class that happens to start last keeps the whole run waiting on one test while the
/// machine has nothing else to do (in one run, 36 s of a 55 s class alone at the end).
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    // xunit names the collection of a class without a [Collection] of its own after the class.
    private const string ClassCollection = "Test collection for ";

    // OrderBy is stable: within each group the order stays xunit's.
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => RunsLong(c) ? 0 : 1);

    private static bool RunsLong(ITestCollection collection) =>
        collection.DisplayName.StartsWith(ClassCollection, StringComparison.Ordinal)
        && typeof(LongestFirst).Assembly.GetType(collection.DisplayName[ClassCollection.Length..]) is { } type
        && type.GetCustomAttribute<RunsLongAttribute>(inherit: true) is not null;
}
