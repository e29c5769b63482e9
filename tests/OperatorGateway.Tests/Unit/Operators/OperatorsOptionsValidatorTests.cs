using Microsoft.Extensions.Options;
using TicketGateway.OperatorGateway.Operators;

namespace TicketGateway.OperatorGateway.Tests.Unit.Operators;

public sealed class OperatorsOptionsValidatorTests
{
    [Fact]
    public void Validate_TwoOperatorsWithOneKey_NamesTheSecondKey()
    {
        var options = new OperatorsOptions();
        options.List.Add(new OperatorOptions { Id = "a", ApiKey = "same-key-0123456789", CallbackAddress = "http://127.0.0.1:1" });
        options.List.Add(new OperatorOptions { Id = "b", ApiKey = "same-key-0123456789", CallbackAddress = "http://127.0.0.1:1" });
        var result = new OperatorsOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("Operators:1:ApiKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ShortKeyAndRelativeCallback_NamesBothKeys()
    {
        var options = new OperatorsOptions();
        options.List.Add(new OperatorOptions { Id = "a", ApiKey = "short", CallbackAddress = "operator.example" });
        var failures = new OperatorsOptionsValidator().Validate(null, options).Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Operators:0:ApiKey must be at least 16 characters", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Operators:0:CallbackAddress", StringComparison.Ordinal));
    }

    [Fact]
    public void ByApiKey_KnownAndUnknownKeys_FindsOnlyTheOwner()
    {
        var options = new OperatorsOptions();
        options.List.Add(new OperatorOptions { Id = "a", ApiKey = "key-a-0123456789abcdef", CallbackAddress = "http://127.0.0.1:1" });
        options.List.Add(new OperatorOptions { Id = "b", ApiKey = "key-b-0123456789abcdef", CallbackAddress = "http://127.0.0.1:1" });
        var directory = new OperatorDirectory(Options.Create(options));
        Assert.Equal("b", directory.ByApiKey("key-b-0123456789abcdef")?.Id);
        Assert.Null(directory.ByApiKey("key-b-0123456789abcdeF"));
        Assert.Null(directory.ByApiKey(""));
    }
}
