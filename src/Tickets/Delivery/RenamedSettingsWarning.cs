using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets.Delivery;

/// <summary>
/// At start-up, warns once per deprecated key an operator's configuration still uses, naming the new
/// key. The old keys keep working (their option properties are aliases), so no configuration breaks silently.
/// </summary>
public sealed class RenamedSettingsWarning(IConfiguration configuration, IEnumerable<RenamedSetting> renamed, ILogger<RenamedSettingsWarning> logger) : IHostedService
{
    /// <summary>Registers renamed keys of one section (and the warning, once).</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section, e.g. <c>Mail:Smtp</c>.</param>
    /// <param name="renames">Pairs of old and new name within the section.</param>
    public static IServiceCollection Add(IServiceCollection services, string section, params (string Old, string New)[] renames)
    {
        ArgumentNullException.ThrowIfNull(renames);
        foreach (var (old, @new) in renames)
        {
            services.AddSingleton(new RenamedSetting($"{section}:{old}", $"{section}:{@new}"));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RenamedSettingsWarning>());
        return services;
    }

    /// <summary>The deprecated keys present in the configuration.</summary>
    public IReadOnlyList<RenamedSetting> InUse() => [.. renamed.Where(r => configuration[r.OldKey] is not null)];

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var r in InUse())
        {
            Log.RenamedSettingUsed(logger, r.OldKey, r.NewKey);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
