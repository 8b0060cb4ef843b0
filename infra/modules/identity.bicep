// User-assigned managed identity: the bot's identity (UserAssignedMSI) and the App Service's identity for
// Key Vault, Storage and Microsoft Graph. Graph application permissions are granted to its service principal
// outside Bicep (see docs/operations.md, "Graph permissions").
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output name string = identity.name
