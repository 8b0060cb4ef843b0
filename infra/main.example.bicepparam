// Example parameters. Copy, adjust, deploy:
//   az deployment group create -g rg-rolloutbot -f infra/main.bicep -p infra/main.example.bicepparam
// No secrets belong here: the SingleTenant client secret goes straight into Key Vault (docs/operations.md).
using 'main.bicep'

param baseName = 'rolloutbot'
param botAppType = 'UserAssignedMSI'
param singleTenantAppId = ''
param botSku = 'F0'
param appServiceSku = 'B1'
param storageProvider = 'Sqlite'
param logRetentionDays = 90
param keyVaultPurgeProtection = true
param tags = {
  owner: 'it-workplace'
  costCenter: 'intune-rollout'
}
