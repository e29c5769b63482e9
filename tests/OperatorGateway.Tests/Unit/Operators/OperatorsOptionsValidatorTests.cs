using Microsoft.Extensions.Options;
using TicketGateway.OperatorGateway.Operators;
using TicketGateway.OperatorGateway.Tests.Support;

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
    public void Validate_NoCallbackKeyOrAShortOne_NamesCallbackApiKey()
    {
        var options = new OperatorsOptions();
        options.List.Add(new OperatorOptions { Id = "a", ApiKey = "key-a-0123456789abcdef", CallbackAddress = "http://127.0.0.1:1" });
        options.List.Add(new OperatorOptions { Id = "b", ApiKey = "key-b-0123456789abcdef", CallbackAddress = "http://127.0.0.1:1", CallbackApiKey = "short" });
        var failures = new OperatorsOptionsValidator().Validate(null, options).Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Operators:0:CallbackApiKey must be set", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Operators:1:CallbackApiKey must be at least 16 characters", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_IdOrThumbprintWithTrailingNewline_NamesTheKey()
    {
        var options = new OperatorsOptions();
        options.List.Add(new OperatorOptions
        {
            Id = "op-a\n",
            ApiKey = "key-a-0123456789abcdef",
            CallbackApiKey = "callback-a-0123456789",
            CallbackAddress = "http://127.0.0.1:1",
            ClientCertificateThumbprint = new string('A', 40) + "\n",
        });
        var failures = new OperatorsOptionsValidator().Validate(null, options).Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Operators:0:Id must be", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Operators:0:ClientCertificateThumbprint must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CallbackCertificateAsPemWithKey_LoadsAndAsPemWithoutKey_NamesTheKey()
    {
        using var dir = new TempDir();
        using var cert = TestCertificates.SelfSigned("CN=ticketgw-callback", TestCertificates.ClientAuth, withIpSan: false);
        var withKey = TestCertificates.WritePem(cert, Path.Combine(dir.Path, "callback.pem"));
        var withoutKey = Path.Combine(dir.Path, "public.pem");
        File.WriteAllText(withoutKey, cert.ExportCertificatePem());
        var op = new OperatorOptions { Id = "a", ApiKey = "key-a-0123456789abcdef", CallbackApiKey = "callback-a-0123456789", CallbackAddress = "https://127.0.0.1:1", CallbackClientCertificate = withKey };

        using (var loaded = CallbackCertificate.Load(op))
        {
            Assert.Equal(cert.Thumbprint, loaded.Thumbprint);
            Assert.True(loaded.HasPrivateKey);
        }

        var options = new OperatorsOptions();
        op.CallbackClientCertificate = withoutKey;
        options.List.Add(op);
        var failure = Assert.Single(new OperatorsOptionsValidator().Validate(null, options).Failures!);
        Assert.StartsWith($"Operators:0:CallbackClientCertificate '{withoutKey}' cannot be read:", failure, StringComparison.Ordinal);
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
