import type { Viewer } from '../../common/viewer';

/** A login under way: what the callback must find again (keyed by the `state` handle). */
export interface PendingLogin {
  nonce?: string;
  maxAge?: number;
  issued?: string;
  /** PKCE code verifier (RFC 7636), sent with the code to the token endpoint. */
  verifier: string;
  /** Where to go after login (a local path). */
  next: string;
  created: number;
}

declare module 'express-session' {
  interface SessionData {
    /** The logged-in person, as pages read it from `req.user`. */
    viewer?: Viewer;
    csrfToken?: string;
    /** Logins started from this browser and not finished, by state handle. */
    oidc?: Record<string, PendingLogin>;
  }
}
