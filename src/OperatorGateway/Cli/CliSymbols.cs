using System.CommandLine;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>The options and arguments that many commands share, and the checks the parser leaves to the commands.</summary>
internal static class CliSymbols
{
    public static Option<bool> Json() => new("--json") { Description = "print JSON instead of text" };

    public static Option<string?> Value(string name, string helpName, string description) =>
        new(name) { HelpName = helpName, Description = description };

    /// <summary>An argument; its description completes "missing ..." when it is left out.</summary>
    public static Argument<string> Argument(string name, string description) => new(name) { Description = description };

    /// <summary>
    /// A required option's value. The check is the command's, not the parser's, so the message stays
    /// "missing required option --x" and an empty value counts as missing.
    /// </summary>
    public static string Required(this ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { } v && !string.IsNullOrWhiteSpace(v)
            ? v
            : throw new CliException($"{CommandPath(parse)}: missing required option {option.Name}.");

    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
        {
            names.Insert(0, r.Command.Name);
        }

        return string.Join(' ', names);
    }
}
