using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.Tickets.Agents;

/// <summary>Imports the <c>Agents:N</c> configuration entries as accounts when the server starts (idempotent; see <see cref="AgentAccounts.ImportAsync"/>).</summary>
internal sealed class AgentConfigImport(AgentAccounts accounts, AgentDirectory configured, ILogger<AgentAccounts> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configured.All.Count == 0)
        {
            return;
        }

        try
        {
            await accounts.ImportAsync(configured.All, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The configured agents still act through the directory's fallback; the next start imports them.
            Log.AgentImportFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
