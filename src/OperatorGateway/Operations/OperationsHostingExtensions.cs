using Microsoft.Extensions.Options;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>Registers the inspection (for <c>serve</c> and the CLI).</summary>
internal static class OperationsHostingExtensions
{
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().Bind(builder.Configuration.GetSection(OperationsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>();
        services.AddSingleton<Inspector>();
        return builder;
    }
}
