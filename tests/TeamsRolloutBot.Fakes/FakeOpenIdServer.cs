using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TeamsRolloutBot.Fakes;

/// <summary>
/// Plays login.botframework.com on loopback: OpenID metadata and a JWKS with endorsements, and mints tokens signed
/// with its test RSA key (or with a key it does not publish, for forgery tests).
/// </summary>
public sealed class FakeOpenIdServer : LoopbackServer
{
    public const string Issuer = "https://api.botframework.com";
    public const string KeyId = "test-key-1";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _unpublished = RSA.Create(2048);

    /// <summary>The channels the published key is endorsed for.</summary>
    public List<string> Endorsements { get; } = ["msteams"];

    /// <summary>How often the JWKS was fetched (key rollover refreshes it).</summary>
    public int KeysRequests { get; private set; }

    /// <summary>Extra keys published after a "rollover".</summary>
    public List<(string Kid, RSA Key)> ExtraKeys { get; } = [];

    public string MetadataUrl => Url + "/v1/.well-known/openidconfiguration";

    public static async Task<FakeOpenIdServer> StartNewAsync()
    {
        var server = new FakeOpenIdServer();
        await server.StartAsync(app =>
        {
            app.MapGet("/v1/.well-known/openidconfiguration", () => Results.Json(new JsonObject
            {
                ["issuer"] = Issuer,
                ["jwks_uri"] = server.Url + "/v1/.well-known/keys",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
            }));
            app.MapGet("/v1/.well-known/keys", () =>
            {
                server.KeysRequests++;
                var keys = new JsonArray { server.Jwk(KeyId, server._rsa) };
                foreach (var (kid, key) in server.ExtraKeys)
                {
                    keys.Add(server.Jwk(kid, key));
                }
                return Results.Json(new JsonObject { ["keys"] = keys });
            });
        });
        return server;
    }

    /// <summary>A token as the Bot Connector sends it; every part can be changed for negative tests.</summary>
    public string CreateToken(
        string audience,
        string serviceUrl,
        string issuer = Issuer,
        DateTime? expires = null,
        DateTime? notBefore = null,
        bool forged = false,
        string? kid = null,
        RSA? key = null,
        bool includeServiceUrl = true,
        string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var claims = new Dictionary<string, object> { ["appid"] = "bot-connector" };
        if (includeServiceUrl)
        {
            claims["serviceurl"] = serviceUrl;
        }
        var now = DateTime.UtcNow;
        var signingKey = new RsaSecurityKey(key ?? (forged ? _unpublished : _rsa)) { KeyId = kid ?? KeyId };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = notBefore ?? now.AddMinutes(-1),
            IssuedAt = (notBefore ?? now.AddMinutes(-1)),
            Expires = expires ?? now.AddMinutes(30),
            SigningCredentials = new SigningCredentials(signingKey, algorithm),
        });
    }

    /// <summary>A token signed with HMAC, which must never be accepted.</summary>
    public static string CreateSymmetricToken(string audience, string serviceUrl) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl },
            Expires = DateTime.UtcNow.AddMinutes(30),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = KeyId }, SecurityAlgorithms.HmacSha256),
        });

    private JsonObject Jwk(string kid, RSA rsa)
    {
        var p = rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["endorsements"] = new JsonArray(Endorsements.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray()),
        };
    }
}
