// Azure Bot registration (SingleTenant or UserAssignedMSI; new multi-tenant bots can no longer be created)
// with the Microsoft Teams channel enabled.
param name string
param tags object

@allowed(['UserAssignedMSI', 'SingleTenant'])
param appType string

@description('Microsoft App ID: the managed identity\'s client id (UserAssignedMSI) or the Entra app\'s client id (SingleTenant).')
param appId string

@description('Resource id of the user-assigned identity; used only when appType is UserAssignedMSI.')
param identityResourceId string

@description('Messaging endpoint, https://<host>/api/messages.')
param endpoint string

@allowed(['F0', 'S1'])
param sku string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: { name: sku }
  properties: {
    displayName: name
    endpoint: endpoint
    msaAppType: appType
    msaAppId: appId
    msaAppTenantId: tenant().tenantId
    msaAppMSIResourceId: appType == 'UserAssignedMSI' ? identityResourceId : null
    disableLocalAuth: false
    isStreamingSupported: false
    publicNetworkAccess: 'Enabled'
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
    }
  }
}

output name string = bot.name
