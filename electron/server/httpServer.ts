/**
 * The loopback server moved to electron/transport (the desktop app serves the same API, and
 * main may not import electron/server); re-exported for the tests here until they import it there.
 */
export { startServer, type RunningServer, type StartServerOptions } from '../transport/httpServer.js';
