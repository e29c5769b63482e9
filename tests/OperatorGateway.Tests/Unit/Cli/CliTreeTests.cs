using System.CommandLine;
using TicketGateway.OperatorGateway.Cli;

namespace TicketGateway.OperatorGateway.Tests.Unit.Cli;

/// <summary>The command tree in process: help of every command, and what the parser makes of tokens.</summary>
public sealed class CliTreeTests
{
    public static TheoryData<string> EveryCommand()
    {
        var data = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            foreach (var sub in command.Subcommands)
            {
                var p = path.Length == 0 ? sub.Name : path + " " + sub.Name;
                data.Add(p);
                Walk(sub, p);
            }
        }

        data.Add("");
        Walk(CliTree.Build(), "");
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Help_EveryCommand_PrintsGeneratedUsage(string path)
    {
        var args = path.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        using var output = new StringWriter();
        var parse = CliTree.Build().Parse([.. args, "--help"], CliTree.Parser);
        CliTree.ThrowIfInvalid(parse);
        var code = parse.Invoke(new InvocationConfiguration { Output = output, Error = output, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output.ToString(), StringComparison.Ordinal);
        // In process the root command is named after the test host, in the executable "ticketgw".
        Assert.Contains(path.Length == 0 ? "Commands:" : " " + path, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_TimeOptions_SayAnOffsetlessTimeIsReadInSlaTimeZone()
    {
        foreach (var path in new[] { new[] { "tickets", "create" }, ["sla", "due"] })
        {
            using var output = new StringWriter();
            CliTree.Build().Parse([.. path, "--help"], CliTree.Parser).Invoke(new InvocationConfiguration { Output = output });
            Assert.Contains("read in Sla:TimeZone, never in the machine's zone", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_DoubleDash_EndsOptions()
    {
        var parse = CliTree.Build().Parse(["tickets", "show", "--", "--json"], CliTree.Parser);
        CliTree.ThrowIfInvalid(parse);
        Assert.Equal("--json", parse.GetValue<string>("REF"));
        Assert.False(parse.GetValue<bool>("--json"));
    }

    [Theory]
    [InlineData("tickets list: unknown option --no-such-option", "tickets", "list", "--no-such-option")]
    [InlineData("tickets show: missing the ticket reference", "tickets", "show")]
    [InlineData("tickets show: unexpected argument 'TG-000002'", "tickets", "show", "TG-000001", "TG-000002")]
    [InlineData("tickets: unknown command 'frob'", "tickets", "frob")]
    [InlineData("tickets: missing command", "tickets")]
    [InlineData("quarantine retry: unknown option --charst", "quarantine", "retry", "1", "--charst", "gbk")]
    public void Parse_WrongInput_ThrowsOneLineNamingCommandAndToken(string expected, params string[] args)
    {
        var ex = Assert.Throws<CliException>(() => CliTree.ThrowIfInvalid(CliTree.Build().Parse(args, CliTree.Parser)));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Parse_TextStartingWithAt_IsTakenAsTypedNotAsAResponseFile()
    {
        var parse = CliTree.Build().Parse(["tickets", "resolve", "TG-000001", "--text", "@张三 已处理"], CliTree.Parser);
        CliTree.ThrowIfInvalid(parse);
        Assert.Equal("@张三 已处理", parse.GetValue<string?>("--text"));
    }
}
