// The node's methods, as n8n's own v2 nodes keep them (`methods = { credentialTest, ... }`).
export * as credentialTest from './credentialTest';
