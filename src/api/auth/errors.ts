/** What managing keys and configuring verification can get wrong; requests with bad credentials are not errors. */
export type AuthErrorCode = 'INVALID_ROLE' | 'INVALID_NAME' | 'KEY_NOT_FOUND' | 'INVALID_CONFIG';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
