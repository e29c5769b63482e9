using System.Globalization;

namespace TicketGateway.OperatorGateway.Benchmarks;

/// <summary><c>--name value</c> pairs; a name may repeat (<c>--url A --url B</c>, one node each).</summary>
internal sealed class Arguments(string[] args)
{
    private readonly ILookup<string, string> _values = args
        .Select((a, i) => (Name: a, Value: i + 1 < args.Length ? args[i + 1] : ""))
        .Where(p => p.Name.StartsWith("--", StringComparison.Ordinal))
        .ToLookup(p => p.Name[2..], p => p.Value);

    public IReadOnlyList<string> All(string name) => [.. _values[name]];

    public string Required(string name) =>
        _values[name].LastOrDefault() ?? throw new ArgumentException($"--{name} is required.");

    public string Text(string name, string fallback) => _values[name].LastOrDefault() ?? fallback;

    public int Number(string name, int fallback) =>
        _values[name].LastOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
