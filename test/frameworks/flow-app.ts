/**
 * What every framework app of the flow tests offers, so one suite drives them all. Routes (query
 * strings, no bodies, so no app needs a body parser):
 * - `GET /session`: `{ sid, userId, views, cart }` of the current session (a read);
 * - `POST /visit`: counts a visit (the first one starts the session);
 * - `POST /login?user=`: regenerates the session and binds it to the user;
 * - `POST /cart?item=`: adds to the cart (a modification);
 * - `POST /logout`: destroys the session;
 * - `POST /logout-everywhere`: ends every session of the current user, answers `{ ended }`;
 * - `GET /devices`: `{ count }` of the current user's sessions.
 */
export interface FlowApp {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

/** What an app is built from: the framework's store and the per-user calls beside it. */
export interface FlowAppOptions<Store> {
  readonly store: Store;
  /** The session cookie's lifetime (the framework's maxAge), ms. */
  readonly maxAgeMs: number;
  logoutEverywhere(userId: string): Promise<number>;
  listUserSessions(userId: string): Promise<number>;
}

/** The view of a session every app answers on `GET /session`. */
export interface SessionView {
  /** The framework's session id (the cookie's secret); tests check the store never holds it. */
  readonly sid: string | null;
  readonly userId: string | null;
  readonly views: number;
  readonly cart: readonly string[];
}
