// The farm in a browser: an HTTP API (the CLI's --json documents), server-sent events from one spool
// watcher, Prometheus metrics and the dashboard page. Served by `render web` and `renderd --http`.
export { startWebServer, type WebServer, type WebServerOptions } from './server.js';
export { deriveWebToken, readWebToken } from './token.js';
export { parseListenAddress, DEFAULT_WEB_LISTEN } from './listen.js';
