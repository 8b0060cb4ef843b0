// Linux App Service plan and web app on the built-in .NET 10 stack, running as the user-assigned identity.
param planName string
param appName string
param location string
param tags object

@description('App Service plan SKU. B1 is the smallest with Always On; use P0v3 or higher for production load.')
param skuName string

@description('Number of instances (1 with Sqlite; more only with AzureStorage).')
@minValue(1)
param instanceCount int

@description('Resource id of the user-assigned identity (Key Vault references, Storage, Graph, Bot tokens).')
param identityResourceId string

@description('Application settings (environment variables) for the app.')
param appSettings object

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: { name: skuName, capacity: instanceCount }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityResourceId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/readyz'
      // One instance with Sqlite (single-writer file); several only with AzureStorage (see docs/operations.md, section 12).
      numberOfWorkers: instanceCount
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
  }
}

// Deploy with Entra credentials (az webapp deploy), never with publishing passwords.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
