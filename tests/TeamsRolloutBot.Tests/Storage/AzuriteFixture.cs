using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>
/// Azurite (<see cref="AzuriteEmulator"/>: npm <c>azurite</c> pinned in tools/azurite, in memory, free loopback ports)
/// for the lifetime of one test class.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteEmulator? _emulator;

    /// <summary>The connection string of the running emulator.</summary>
    public string ConnectionString => _emulator?.ConnectionString ?? throw new InvalidOperationException("Azurite is not started.");

    public async ValueTask InitializeAsync() => _emulator = await AzuriteEmulator.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}
