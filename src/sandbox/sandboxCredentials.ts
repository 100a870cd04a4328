// Who the sandbox lets in: one API user with its secret and integration code.
export interface SandboxCredentials {
  username: string;
  secret: string;
  integrationCode: string;
}

/** Fixed credentials of the demo sandbox (README "Autotask sandbox"). */
export const DEMO_SANDBOX_CREDENTIALS: SandboxCredentials = {
  username: 'api-user@demo-sandbox.example',
  secret: 'demo-sandbox-secret',
  integrationCode: 'DEMO-SANDBOX-INTEGRATION',
};
