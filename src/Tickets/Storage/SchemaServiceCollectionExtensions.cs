using Microsoft.Extensions.DependencyInjection;

namespace TicketGateway.Tickets.Storage;

/// <summary>How a module contributes its schema steps to the one ticket store.</summary>
public static class SchemaServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="module"/>'s steps; the <see cref="TicketDatabase"/> applies them when
    /// it opens. Registering the same module twice is harmless.
    /// </summary>
    public static IServiceCollection AddSchema(this IServiceCollection services, SchemaModule module)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(module);
        return services.AddSingleton(module);
    }
}
