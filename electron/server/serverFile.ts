/**
 * server.json moved to electron/transport (the desktop app claims it too, and main may not
 * import electron/server); re-exported for the CLI until its imports point there.
 */
export { findRunningServer, NO_HOST_MESSAGE, serverFilePath, type ServerInfo } from '../transport/serverFile.js';
