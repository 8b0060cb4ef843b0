using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>Plays the OneDrive upload URL that Teams hands out in a file consent: records each PUT.</summary>
public sealed class FakeUpload : LoopbackServer
{
    public ConcurrentQueue<(string Path, string? ContentRange, byte[] Body)> Puts { get; } = new();

    public static async Task<FakeUpload> StartNewAsync()
    {
        var server = new FakeUpload();
        await server.StartAsync(app => app.Map("/{**path}", async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            server.Puts.Enqueue((context.Request.Path.Value ?? "", context.Request.Headers.ContentRange.FirstOrDefault(), buffer.ToArray()));
            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(new { id = "file-1" });
        }));
        return server;
    }
}
