namespace TicketGateway.Tickets.Tests.Functional.Quality;

/// <summary>Bounded waiting for what background workers do (15 s at most), shared with OperatorGateway.Tests.</summary>
internal static class Eventually
{
    public static async Task Until(Func<bool> condition, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Timed out waiting for {what}.");
    }

    /// <summary>The same for a condition that has to ask over the network (an HTTP probe, a gRPC call).</summary>
    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Timed out waiting for {what}.");
    }
}
