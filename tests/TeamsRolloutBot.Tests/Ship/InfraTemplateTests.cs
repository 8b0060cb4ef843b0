using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Tests.Ship;

/// <summary>What an Azure admin relies on when deploying infra/main.bicep: least privilege, no secrets, Teams works.</summary>
public sealed class InfraTemplateTests(CompiledInfra infra) : IClassFixture<CompiledInfra>
{
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";

    [Fact]
    public void Bot_is_single_tenant_or_managed_identity_never_multi_tenant()
    {
        var appType = infra.Template["parameters"]!["botAppType"]!;
        Assert.Equal(["UserAssignedMSI", "SingleTenant"], appType["allowedValues"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("UserAssignedMSI", (string?)appType["defaultValue"]);

        var bot = Assert.Single(infra.Resources("Microsoft.BotService/botServices"));
        Assert.Equal("azurebot", (string?)bot["kind"]);
        Assert.Equal("[parameters('appType')]", (string?)bot["properties"]!["msaAppType"]);
        var botModuleAppType = infra.Module("bot")["parameters"]!["appType"]!["allowedValues"]!.AsArray().Select(v => (string)v!);
        Assert.DoesNotContain("MultiTenant", botModuleAppType);
        Assert.Contains("/api/messages", infra.TemplateText, StringComparison.Ordinal);
    }

    [Fact]
    public void Teams_channel_is_enabled_on_the_bot()
    {
        var channel = Assert.Single(infra.Resources("Microsoft.BotService/botServices/channels"));
        Assert.Equal("MsTeamsChannel", (string?)channel["properties"]!["channelName"]);
        Assert.True((bool)channel["properties"]!["properties"]!["isEnabled"]!);
    }

    [Fact]
    public void Web_app_runs_dotnet_10_on_linux_over_https_as_the_user_assigned_identity()
    {
        var plan = Assert.Single(infra.Resources("Microsoft.Web/serverfarms"));
        Assert.True((bool)plan["properties"]!["reserved"]!, "a Linux plan needs reserved: true");

        var site = Assert.Single(infra.Resources("Microsoft.Web/sites"));
        var config = site["properties"]!["siteConfig"]!;
        Assert.Equal("DOTNETCORE|10.0", (string?)config["linuxFxVersion"]);
        Assert.True((bool)site["properties"]!["httpsOnly"]!);
        Assert.Equal("1.2", (string?)config["minTlsVersion"]);
        Assert.Equal("Disabled", (string?)config["ftpsState"]);
        Assert.Equal("/readyz", (string?)config["healthCheckPath"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.NotNull(site["properties"]!["keyVaultReferenceIdentity"]);

        var publishing = infra.Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal(2, publishing.Count);
        Assert.All(publishing, p => Assert.False((bool)p["properties"]!["allow"]!));
    }

    [Fact]
    public void Identity_gets_only_data_plane_roles_scoped_to_its_own_vault_and_storage_account()
    {
        var assignments = infra.Resources("Microsoft.Authorization/roleAssignments");
        Assert.Equal(2, assignments.Count); // one for the vault, one copy loop (three roles) for storage
        Assert.All(assignments, a => Assert.Equal("ServicePrincipal", (string?)a["properties"]!["principalType"]));
        Assert.All(assignments, a => Assert.StartsWith("[resourceId('Microsoft.", (string?)a["scope"], StringComparison.Ordinal));

        var keyVault = infra.Module("keyVault").ToJsonString();
        Assert.Contains(KeyVaultSecretsUser, keyVault, StringComparison.Ordinal);
        var storage = infra.Module("storage").ToJsonString();
        Assert.Contains(StorageBlobDataContributor, storage, StringComparison.Ordinal);
        Assert.Contains(StorageTableDataContributor, storage, StringComparison.Ordinal);
        Assert.Contains(StorageQueueDataContributor, storage, StringComparison.Ordinal);

        string[] privileged =
        [
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
            "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
            "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
            "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
            "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Key Vault Secrets Officer
            "17d1049b-9a84-46fb-8f53-869881c3d3ab", // Storage Account Contributor
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
        ];
        Assert.All(privileged, id => Assert.DoesNotContain(id, infra.TemplateText, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Several_instances_only_with_AzureStorage_and_never_on_a_shared_SQLite_file()
    {
        var count = infra.Template["parameters"]!["instanceCount"]!;
        Assert.Equal(1, (int)count["defaultValue"]!);
        var variables = infra.Template["variables"]!;
        Assert.Equal("[if(equals(parameters('storageProvider'), 'AzureStorage'), parameters('instanceCount'), 1)]", (string?)variables["instances"]);
        Assert.Contains("if(greater(variables('instances'), 1), '/tmp/rollout.db', '/home/data/rollout.db')",
            infra.TemplateText.Replace("\\u0027", "'", StringComparison.Ordinal), StringComparison.Ordinal);
        var web = infra.Resources("Microsoft.Resources/deployments").Single(d => (string?)d["name"] == "web");
        Assert.Equal("[variables('instances')]", (string?)web["properties"]!["parameters"]!["instanceCount"]!["value"]);
        var plan = Assert.Single(infra.Resources("Microsoft.Web/serverfarms"));
        Assert.Equal("[parameters('instanceCount')]", (string?)plan["sku"]!["capacity"]);
    }

    [Fact]
    public void Key_vault_uses_rbac_with_soft_delete()
    {
        var vault = Assert.Single(infra.Resources("Microsoft.KeyVault/vaults"))["properties"]!;
        Assert.True((bool)vault["enableRbacAuthorization"]!);
        Assert.True((bool)vault["enableSoftDelete"]!);
        Assert.Null(vault["accessPolicies"]);
    }

    [Fact]
    public void Storage_accepts_only_entra_identities_over_tls_12_and_keeps_blobs_private()
    {
        var storage = Assert.Single(infra.Resources("Microsoft.Storage/storageAccounts"))["properties"]!;
        Assert.False((bool)storage["allowSharedKeyAccess"]!);
        Assert.False((bool)storage["allowBlobPublicAccess"]!);
        Assert.True((bool)storage["supportsHttpsTrafficOnly"]!);
        Assert.Equal("TLS1_2", (string?)storage["minimumTlsVersion"]);
        var backups = Assert.Single(infra.Resources("Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Equal("None", (string?)backups["properties"]!["publicAccess"]);
    }

    [Fact]
    public void Application_insights_is_workspace_based()
    {
        var insights = Assert.Single(infra.Resources("Microsoft.Insights/components"))["properties"]!;
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)insights["WorkspaceResourceId"], StringComparison.Ordinal);
        Assert.Single(infra.Resources("Microsoft.OperationalInsights/workspaces"));
    }

    [Fact]
    public void Client_secret_reaches_the_app_only_as_a_key_vault_reference()
    {
        var settings = AppSettingsExpression();
        Assert.Contains("'MicrosoftAppPassword', format('@Microsoft.KeyVault(VaultName={0};SecretName={1})'", settings, StringComparison.Ordinal);

        // No parameter carries a secret value: the template takes no secure parameters at all (names of secrets are fine).
        foreach (var (name, parameter) in infra.Template["parameters"]!.AsObject())
        {
            Assert.DoesNotContain("secure", (string?)parameter!["type"], StringComparison.OrdinalIgnoreCase);
            Assert.False(name.EndsWith("Password", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Secret", StringComparison.OrdinalIgnoreCase), name);
        }

        var exampleParameters = JsonNode.Parse((string)infra.ExampleParameters["parametersJson"]!)!["parameters"]!.AsObject();
        Assert.Contains("baseName", exampleParameters.Select(p => p.Key));
        Assert.All(exampleParameters, p => Assert.False(
            p.Key.EndsWith("Password", StringComparison.OrdinalIgnoreCase) || p.Key.EndsWith("Secret", StringComparison.OrdinalIgnoreCase), p.Key));
    }

    [Fact]
    public void App_settings_name_the_bot_identity_tenant_telemetry_and_store()
    {
        var settings = AppSettingsExpression();
        foreach (var key in new[]
                 {
                     "MicrosoftAppType", "MicrosoftAppId", "MicrosoftAppTenantId", "AZURE_CLIENT_ID",
                     "APPLICATIONINSIGHTS_CONNECTION_STRING", "Storage__Provider", "Storage__SqlitePath",
                 })
        {
            Assert.Contains($"'{key}'", settings, StringComparison.Ordinal);
        }

        Assert.Contains("'/home/data/rollout.db'", settings, StringComparison.Ordinal);
    }

    /// <summary>The ARM expression main.bicep passes as the web module's appSettings.</summary>
    private string AppSettingsExpression() =>
        (string)infra.Resources("Microsoft.Resources/deployments").Single(d => (string?)d["name"] == "web")["properties"]!["parameters"]!["appSettings"]!["value"]!;
}
