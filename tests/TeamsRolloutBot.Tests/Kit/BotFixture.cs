namespace TeamsRolloutBot.Tests.Kit;

/// <summary>A <see cref="TestBot"/> with the default configuration, shared by the tests of one class.</summary>
public sealed class BotFixture : IAsyncLifetime
{
    public TestBot Bot { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Bot = await TestBot.Create().StartAsync();

    public async ValueTask DisposeAsync() => await Bot.DisposeAsync();
}
