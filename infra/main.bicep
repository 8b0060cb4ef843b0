// TeamsRolloutBot on Azure: Azure Bot (Teams channel), Linux App Service (.NET 10), user-assigned managed
// identity, Storage, Key Vault (RBAC), Application Insights on Log Analytics, and least-privilege role
// assignments. Deploy into an existing resource group:
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.example.bicepparam
targetScope = 'resourceGroup'

@description('Short lowercase name used in every resource name, e.g. "rolloutbot".')
@minLength(3)
@maxLength(12)
param baseName string

@description('Azure region for the regional resources (the bot registration itself is global).')
param location string = resourceGroup().location

@description('UserAssignedMSI (recommended: no secret at all) or SingleTenant (an Entra app registration with a client secret in Key Vault).')
@allowed(['UserAssignedMSI', 'SingleTenant'])
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: client id of the Entra app registration. Leave empty for UserAssignedMSI.')
param singleTenantAppId string = ''

@description('SingleTenant only: name of the Key Vault secret holding the client secret (set it after deployment).')
param appPasswordSecretName string = 'MicrosoftAppPassword'

@description('Azure Bot pricing tier. F0 is free (standard channels such as Teams are not metered).')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('App Service plan SKU (Linux).')
@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3'])
param appServiceSku string = 'B1'

@description('Custom host name that fronts the web app (e.g. rollout.contoso.com); empty to use <app>.azurewebsites.net. Bind the certificate separately.')
param customHostName string = ''

@description('Store: Sqlite (one file on the app\'s persistent /home share) or AzureStorage (tables, queues and blobs in the storage account).')
@allowed(['Sqlite', 'AzureStorage'])
param storageProvider string = 'Sqlite'

@description('Number of app instances. More than one needs storageProvider AzureStorage (the SQLite file is single-writer); with Sqlite it is always 1. Migrate an existing Sqlite deployment with 1 first (the one-time import reads the file), then raise it.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Storage redundancy. ZRS keeps data across availability zones; pick Standard_LRS in a region without zones.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSku string = 'Standard_ZRS'

@description('Path of the rollout plan YAML inside the app; empty keeps the app\'s default.')
param rolloutPlanPath string = ''

@description('Days of logs kept in Log Analytics and Application Insights.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Turn on Key Vault purge protection (cannot be turned off again). Recommended for production.')
param keyVaultPurgeProtection bool = true

@description('Tags for every resource.')
param tags object = {}

var suffix = take(uniqueString(resourceGroup().id, baseName), 6)
var names = {
  identity: 'id-${baseName}-${suffix}'
  workspace: 'log-${baseName}-${suffix}'
  appInsights: 'appi-${baseName}-${suffix}'
  storage: take('st${toLower(baseName)}${suffix}', 24)
  keyVault: take('kv-${baseName}-${suffix}', 24)
  plan: 'asp-${baseName}-${suffix}'
  app: 'app-${baseName}-${suffix}'
  bot: 'bot-${baseName}-${suffix}'
}
var allTags = union({ application: 'TeamsRolloutBot' }, tags)
var isMsi = botAppType == 'UserAssignedMSI'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: names.identity, location: location, tags: allTags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: allTags
    retentionInDays: logRetentionDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: allTags
    skuName: storageSku
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    principalId: identity.outputs.principalId
    enablePurgeProtection: keyVaultPurgeProtection
  }
}

var botAppId = isMsi
  ? identity.outputs.clientId
  : (empty(singleTenantAppId)
      ? fail('singleTenantAppId is required when botAppType is SingleTenant: the client id of your Entra app registration.')
      : singleTenantAppId)

var instances = storageProvider == 'AzureStorage' ? instanceCount : 1

var baseSettings = {
  ASPNETCORE_ENVIRONMENT: 'Production'
  MicrosoftAppType: botAppType
  MicrosoftAppId: botAppId
  MicrosoftAppTenantId: tenant().tenantId
  // DefaultAzureCredential / ManagedIdentityCredential pick this identity for Storage, Key Vault and Graph.
  AZURE_CLIENT_ID: identity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  Storage__Provider: storageProvider
  // /home is the App Service's persistent share; everything else in the container is lost on restart. Several
  // instances (AzureStorage) keep nothing in the file, and SQLite must not be shared between hosts: each gets its own.
  Storage__SqlitePath: instances > 1 ? '/tmp/rollout.db' : '/home/data/rollout.db'
  Storage__BlobServiceUri: storage.outputs.blobEndpoint
  Storage__TableServiceUri: storage.outputs.tableEndpoint
  Storage__QueueServiceUri: storage.outputs.queueEndpoint
  WEBSITE_RUN_FROM_PACKAGE: '1'
}
var secretSettings = isMsi
  ? {}
  : {
      MicrosoftAppPassword: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${appPasswordSecretName})'
    }
var planSettings = empty(rolloutPlanPath) ? {} : { Rollout__PlanPath: rolloutPlanPath }

module web 'modules/appservice.bicep' = {
  name: 'web'
  params: {
    planName: names.plan
    appName: names.app
    location: location
    tags: allTags
    skuName: appServiceSku
    instanceCount: instances
    identityResourceId: identity.outputs.id
    appSettings: union(baseSettings, secretSettings, planSettings)
  }
}

var botHost = empty(customHostName) ? web.outputs.defaultHostName : customHostName

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: names.bot
    tags: allTags
    appType: botAppType
    appId: botAppId
    identityResourceId: identity.outputs.id
    endpoint: 'https://${botHost}/api/messages'
    sku: botSku
  }
}

@description('MicrosoftAppId of the bot: pass it to manifest/build-package.mjs --app-id.')
output botAppId string = botAppId

@description('Host name of the bot: pass it to manifest/build-package.mjs --domain.')
output botHost string = botHost

@description('Web app to deploy the published bot to (az webapp deploy).')
output webAppName string = web.outputs.name

@description('Service principal (object id) of the managed identity: grant the Graph application permissions to it.')
output identityPrincipalId string = identity.outputs.principalId

output keyVaultName string = keyVault.outputs.name
output storageAccountName string = storage.outputs.name
output botName string = bot.outputs.name
