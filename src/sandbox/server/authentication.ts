// Credentials, checked as Autotask checks them: user and secret first (401), then the
// integration code (500, Autotask's way), then the impersonation header's shape.
import type http from 'node:http';
import { SANDBOX_ERROR_TEXT } from '../sandboxErrorTexts.js';
import type { SandboxCredentials } from '../sandboxCredentials.js';
import type { HttpAnswer } from './sandboxHttp.js';

export function authenticate(
  req: http.IncomingMessage,
  credentials: SandboxCredentials,
): { refused: HttpAnswer } | { integrationCode: string } {
  const header = (name: string) => {
    const v = req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const userOk = (header('UserName') ?? '').toLowerCase() === credentials.username.toLowerCase();
  if (!userOk || header('Secret') !== credentials.secret)
    return { refused: { status: 401, body: { Message: SANDBOX_ERROR_TEXT.unauthorized } } };
  const code = header('ApiIntegrationCode') ?? '';
  if (code !== credentials.integrationCode)
    return { refused: { status: 500, body: { errors: [SANDBOX_ERROR_TEXT.integrationCodeInvalid] } } };
  const impersonation = header('ImpersonationResourceId');
  if (impersonation !== undefined && !/^\d+$/.test(impersonation))
    return { refused: { status: 500, body: { errors: ['ImpersonationResourceId must be a resource id.'] } } };
  return { integrationCode: code };
}
